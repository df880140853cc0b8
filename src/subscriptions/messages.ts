import { defineMessages } from '../i18n/index.js';

/** What a person's exclusion or addition does to whether they are a member, in the family's language; rules (`file:line`) quoted as they are. */
export const t = defineMessages({
  en: {
    how: '{how, select, mail {by a confirmed mail to the request address} other {by the one-click link}}',
    excluded: '{address} is not a member of {list}: they unsubscribed on {at} ({how}; rule {rule}), whatever the directory says',
    added: '{address} is a member of {list}: they subscribed on {at} ({how}; rule {rule}), and the family’s subscribe rules still admit them',
    notAdmitted: '{address} subscribed to {list} on {at} ({how}; rule {rule}), but the family’s subscribe rules no longer admit them: the addition counts for nothing until they do',
  },
  fr: {
    how: '{how, select, mail {par un message confirmé à l’adresse des demandes} other {par le lien de désabonnement en un clic}}',
    excluded: '{address} n’est pas membre de {list} : il s’en est désabonné le {at} ({how} ; règle {rule}), quoi que dise l’annuaire',
    added: '{address} est membre de {list} : il s’y est abonné le {at} ({how} ; règle {rule}), et les règles d’abonnement de la famille l’admettent toujours',
    notAdmitted:
      '{address} s’est abonné à {list} le {at} ({how} ; règle {rule}), mais les règles d’abonnement de la famille ne l’admettent plus : l’abonnement ne compte pas tant qu’elles ne l’admettent pas de nouveau',
  },
});
