import { defineMessages } from '../i18n/index.js';

/** The policy server's own words to a sender, in the list's language. */
export const t = defineMessages({
  en: {
    unverified: "{sender} could not be verified, so may not send to {list}: the client did not authenticate as its owner and is not a trusted network; authenticate (SMTP AUTH) as the address's owner",
  },
  fr: {
    unverified:
      '{sender} n’a pas pu être vérifié, et ne peut donc pas écrire à {list} : le client ne s’est pas authentifié comme son titulaire et n’est pas un réseau de confiance ; authentifiez-vous (SMTP AUTH) comme titulaire de l’adresse',
  },
});
