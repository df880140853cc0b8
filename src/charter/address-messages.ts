import type { AutolistError } from '../errors.js';
import { defineMessages, type Language } from '../i18n/index.js';
import { AddressInvalidError, AddressTooComplexError, AddressTooLongError, AmbiguousListError, NoSuchListError, UnknownDomainError } from './errors.js';
import { describeBounds } from './family.js';
import { MAX_ADDRESS_OCTETS } from './resolver.js';

const t = defineMessages({
  en: {
    notAnAddress: '"{address}" is not an address of the form name@domain',
    addressTooLong: 'the address is longer than {max} octets',
    unknownDomain: 'no list family serves the domain {domain}',
    noSuchList: 'no such list {address}: {where} (family {family})',
    noSuchListReadings: 'no such list {address}: {readings}',
    reading: '{where} (family {family})',
    between: '; ',
    unknownDomainServed: 'no list family serves the domain {domain} (domains served: {served})',
    found: 'at column {column}, found {found}, expected {expected}',
    endOfName: 'the end of the name',
    nothingMore: 'nothing more',
    or: ' or ',
    outOfBounds: 'at column {column}: <{part}> "{text}" is out of bounds ({bounds})',
    ambiguous: '{address} names more than one list',
    nameTooLong: 'no list has a name this long: the part before @ is {octets} octets, at most {max}',
    tooComplex: 'the name is too complex to read in the family {family}: its charter reads some names in too many ways',
    repeated: 'at column {column}: "{token}" is already in the name (a word is written once)',
    exclusive: 'at column {column}: "{token}" and "{other}" exclude each other (a name holds one of them at most)',
    order: 'at column {column}: the words are not in the order of the list’s name, {canonical}',
  },
  fr: {
    notAnAddress: '« {address} » n’est pas une adresse de la forme nom@domaine',
    addressTooLong: 'l’adresse dépasse {max} octets',
    unknownDomain: 'aucune famille de listes ne sert le domaine {domain}',
    noSuchList: 'la liste {address} n’existe pas : {where} (famille {family})',
    noSuchListReadings: 'la liste {address} n’existe pas : {readings}',
    reading: '{where} (famille {family})',
    between: ' ; ',
    unknownDomainServed: 'aucune famille de listes ne sert le domaine {domain} (domaines servis : {served})',
    found: 'à la colonne {column}, {expected} attendu, {found} trouvé',
    endOfName: 'la fin du nom',
    nothingMore: 'rien de plus',
    or: ' ou ',
    outOfBounds: 'à la colonne {column} : <{part}> « {text} » est hors des bornes ({bounds})',
    ambiguous: '{address} désigne plus d’une liste',
    nameTooLong: 'aucune liste n’a un nom aussi long : la partie avant @ fait {octets} octets, {max} au plus',
    tooComplex: 'le nom est trop complexe à lire dans la famille {family} : sa charte lit certains noms de trop de façons',
    repeated: 'à la colonne {column} : « {token} » figure déjà dans le nom (un mot ne s’écrit qu’une fois)',
    exclusive: 'à la colonne {column} : « {token} » et « {other} » s’excluent (un nom en contient un au plus)',
    order: 'à la colonne {column} : les mots ne sont pas dans l’ordre du nom de la liste, {canonical}',
  },
});

/**
 * Why an address names no list, for the person who wrote it (an SMTP reply, an HTTP problem's
 * detail), in `language`: the resolver's errors carry their facts, this puts them in words.
 * Another error keeps its own message.
 */
export function addressErrorText(error: AutolistError, address: string, language: Language, audience: 'site' | 'outsider' = 'site'): string {
  if (error instanceof UnknownDomainError) {
    // Which domains this host serves is the site's to know, not any client's that connects.
    if (audience === 'outsider' || error.served.length === 0) return t(language, 'unknownDomain', { domain: error.domain });
    return t(language, 'unknownDomainServed', { domain: error.domain, served: error.served.join(', ') });
  }
  if (error instanceof NoSuchListError) {
    const { family, local, failure, readings } = error.failure;
    const domain = error.address.slice(error.address.lastIndexOf('@') + 1);
    if (readings === undefined) return t(language, 'noSuchList', { address: error.address, where: failureText(local, domain, failure, language), family });
    const each = readings.map((r) => t(language, 'reading', { where: failureText(local, domain, r.failure, language), family: r.family }));
    return t(language, 'noSuchListReadings', { address: error.address, readings: each.join(t(language, 'between')) });
  }
  if (error instanceof AddressTooLongError) return t(language, 'nameTooLong', { octets: error.octets, max: error.max });
  if (error instanceof AddressTooComplexError) return t(language, 'tooComplex', { family: error.family });
  if (error instanceof AmbiguousListError) return t(language, 'ambiguous', { address: printable(address) });
  if (error instanceof AddressInvalidError) {
    const bare = address.trim().replace(/^<(.*)>$/, '$1');
    return Buffer.byteLength(bare, 'utf8') > MAX_ADDRESS_OCTETS ? t(language, 'addressTooLong', { max: MAX_ADDRESS_OCTETS }) : t(language, 'notAnAddress', { address: printable(address) });
  }
  return error.message;
}

/** Where a name goes wrong, in words: "at column 13, found "z", expected ...". */
function failureText(local: string, domain: string, failure: NoSuchListError['failure']['failure'], language: Language): string {
  const { column, conflict } = failure;
  if (conflict?.kind === 'repeated') return t(language, 'repeated', { column, token: conflict.token });
  if (conflict?.kind === 'exclusive') return t(language, 'exclusive', { column, token: conflict.token, other: conflict.other });
  if (failure.canonical !== undefined) return t(language, 'order', { column, canonical: `${failure.canonical}@${domain}` });
  if (failure.outOfBounds) {
    const { part, text, bounds } = failure.outOfBounds;
    return t(language, 'outOfBounds', { column: failure.column, part, text, bounds: describeBounds(bounds) });
  }
  const found = failure.column <= local.length ? JSON.stringify(local[failure.column - 1]) : t(language, 'endOfName');
  const expected = failure.expected.length === 0 ? t(language, 'nothingMore') : failure.expected.join(t(language, 'or'));
  return t(language, 'found', { column: failure.column, found, expected });
}

/** An address as received, made safe to quote: control characters escaped, length capped. */
function printable(text: string): string {
  const trimmed = text.trim();
  return JSON.stringify(trimmed.length > 80 ? `${trimmed.slice(0, 80)}…` : trimmed).slice(1, -1);
}
