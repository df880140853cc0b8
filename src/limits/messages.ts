import { defineMessages } from '../i18n/index.js';

/** What the limits tell a client they refuse (SMTP replies, ASCII once in a reply line; the HTTP front's 429 detail), in the language the front gives. */
export const t = defineMessages({
  en: {
    mailFromClient: 'too much mail from {client}: slow down and try again in {seconds, plural, one {# second} other {# seconds}}',
    mailFromSender: 'too much mail from this sender: slow down and try again in {seconds, plural, one {# second} other {# seconds}}',
    recipientsFromClient: 'too many recipients from {client}: slow down and try again in {seconds, plural, one {# second} other {# seconds}}',
    recipientsFromSender: 'too many recipients from this sender: slow down and try again in {seconds, plural, one {# second} other {# seconds}}',
    tooManyErrors: 'too many errors',
    httpRequests: 'too many requests: slow down and try again in {seconds, plural, one {# second} other {# seconds}}',
  },
  fr: {
    mailFromClient: 'trop de messages venant de {client} : ralentissez et réessayez dans {seconds, plural, one {# seconde} other {# secondes}}',
    mailFromSender: 'trop de messages venant de cet expéditeur : ralentissez et réessayez dans {seconds, plural, one {# seconde} other {# secondes}}',
    recipientsFromClient: 'trop de destinataires venant de {client} : ralentissez et réessayez dans {seconds, plural, one {# seconde} other {# secondes}}',
    recipientsFromSender: 'trop de destinataires venant de cet expéditeur : ralentissez et réessayez dans {seconds, plural, one {# seconde} other {# secondes}}',
    tooManyErrors: 'trop d’erreurs',
    httpRequests: 'trop de requêtes : ralentissez et réessayez dans {seconds, plural, one {# seconde} other {# secondes}}',
  },
});
