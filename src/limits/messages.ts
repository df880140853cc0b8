import { defineMessages } from '../i18n/index.js';

/** What the SMTP limits tell a client they refuse, in the language the front gives (ASCII once in a reply line). */
export const t = defineMessages({
  en: {
    mailFromClient: 'too much mail from {client}: slow down and try again in {seconds, plural, one {# second} other {# seconds}}',
    mailFromSender: 'too much mail from this sender: slow down and try again in {seconds, plural, one {# second} other {# seconds}}',
    recipientsFromClient: 'too many recipients from {client}: slow down and try again in {seconds, plural, one {# second} other {# seconds}}',
    recipientsFromSender: 'too many recipients from this sender: slow down and try again in {seconds, plural, one {# second} other {# seconds}}',
    tooManyErrors: 'too many errors',
  },
  fr: {
    mailFromClient: 'trop de messages venant de {client} : ralentissez et réessayez dans {seconds, plural, one {# seconde} other {# secondes}}',
    mailFromSender: 'trop de messages venant de cet expéditeur : ralentissez et réessayez dans {seconds, plural, one {# seconde} other {# secondes}}',
    recipientsFromClient: 'trop de destinataires venant de {client} : ralentissez et réessayez dans {seconds, plural, one {# seconde} other {# secondes}}',
    recipientsFromSender: 'trop de destinataires venant de cet expéditeur : ralentissez et réessayez dans {seconds, plural, one {# seconde} other {# secondes}}',
    tooManyErrors: 'trop d’erreurs',
  },
});
