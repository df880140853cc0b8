import { defineMessages } from '../i18n/index.js';

/** Why an address is or is not on a list, in the family's language; DNs, filters and labels quoted as they are. */
export const t = defineMessages({
  en: {
    member: '{address} is a member of {list}',
    noEntry: '{address} is not a member of {list}: no directory entry under {base} has it in {attributes}',
    satisfiesPart: '{satisfied, select, yes {satisfies} other {does not satisfy}} “{label}” {filter}',
    memberByEntry: '{address} is a member of {list}: the entry {dn} satisfies every part of its filter',
    failsParts: '{address} is not a member of {list}: the entry {dn} does not satisfy {parts}',
    outside: '{address} is not a member of {list}: the entry {dn} satisfies the filter but is outside the list’s base and scope ({base}, {scope}) or has no {attribute}',
  },
  fr: {
    member: '{address} est membre de {list}',
    noEntry: '{address} n’est pas membre de {list} : aucune fiche de l’annuaire sous {base} ne l’a dans {attributes}',
    satisfiesPart: '{satisfied, select, yes {satisfait} other {ne satisfait pas}} « {label} » {filter}',
    memberByEntry: '{address} est membre de {list} : la fiche {dn} satisfait chaque partie de son filtre',
    failsParts: '{address} n’est pas membre de {list} : la fiche {dn} ne satisfait pas {parts}',
    outside: '{address} n’est pas membre de {list} : la fiche {dn} satisfait le filtre mais est hors de la base et de la portée de la liste ({base}, {scope}) ou n’a pas de {attribute}',
  },
});
