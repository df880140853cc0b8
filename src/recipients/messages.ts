import { defineMessages } from '../i18n/index.js';

/** What the recipient checks tell a sender, in the list's language (or its domain's, for no list). */
export const t = defineMessages({
  en: {
    ownerless: '{address}: the family {family} names no owner (and AUTOLIST_LIST_OWNERS is not set)',
    empty:
      '{list} ({description}) has no members: {why, select, unsubscribed {all whom the directory puts on it have unsubscribed} other {nobody in the directory matches it}}, so nobody would receive the message',
    directoryDown: 'the directory could not answer; try again later',
    storeDown: 'the list’s subscriptions could not be read; try again later',
    fault: 'the list cannot be checked now; try again later',
    didYouMean: '{reason}; did you mean {addresses}?',
  },
  fr: {
    ownerless: '{address} : la famille {family} ne nomme aucun propriétaire (et AUTOLIST_LIST_OWNERS n’est pas défini)',
    empty:
      '{list} ({description}) n’a aucun membre : {why, select, unsubscribed {tous ceux que l’annuaire y met s’en sont désabonnés} other {personne dans l’annuaire n’y correspond}}, le message ne serait reçu par personne',
    directoryDown: 'l’annuaire n’a pas pu répondre ; réessayez plus tard',
    storeDown: 'les abonnements de la liste n’ont pas pu être lus ; réessayez plus tard',
    fault: 'la liste ne peut pas être vérifiée pour le moment ; réessayez plus tard',
    didYouMean: '{reason} ; vouliez-vous dire {addresses} ?',
  },
});
