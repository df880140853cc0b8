import { defineMessages, type Language } from '../i18n/index.js';
import type { Replies } from '../limits/index.js';
import { replyText } from '../reply/reply-text.js';

/**
 * smtp-server's own error replies of fixed text, which it writes in English and has no option to
 * change: each exactly as it sends it (3.21.6, pinned in package.json), which identifies it. Those
 * autolist never sends (DSN, SMTPUTF8, REQUIRETLS, XCLIENT's) are left out.
 */
const SMTP_SERVER = {
  timeout: 'Timeout - closing connection',
  shuttingDown: 'Server shutting down',
  unrecognized: 'Error: command not recognized',
  tooManyUnrecognized: 'Error: too many unrecognized commands',
  heloFirst: 'Error: send HELO/EHLO first',
  internal: 'Error: internal server error',
  ehloSyntax: 'Error: syntax: EHLO hostname',
  heloSyntax: 'Error: Syntax: HELO hostname',
  hostnameSyntax: 'Error: Bad hostname syntax',
  vrfySyntax: 'Error: Syntax: VRFY address',
  notAllowed: 'Error: Not allowed',
  parameterSyntax: 'Error: Bad command parameter syntax',
  startTlsSyntax: 'Error: syntax: STARTTLS',
  tlsActive: 'Error: TLS already active',
  startTlsFirst: 'Error: Must issue a STARTTLS command first',
  identityChange: 'Error: No identity changes permitted',
  authType: 'Error: Unrecognized authentication type',
  plainSyntax: 'Error: syntax: AUTH PLAIN token',
  loginSyntax: 'Error: syntax: AUTH LOGIN',
  authAborted: 'Authentication aborted',
  senderSyntax: 'Error: Bad sender address syntax',
  nestedMail: 'Error: nested MAIL command',
  sizeSyntax: 'Error: Bad message size syntax',
  bodyParameter: 'Invalid BODY parameter value. Must be 7BIT or 8BITMIME',
  recipientSyntax: 'Error: Bad recipient address syntax',
  needMail: 'Error: need MAIL command',
  tooManyRecipients: 'Error: too many recipients',
  needRcpt: 'Error: need RCPT command',
};
type Key = keyof typeof SMTP_SERVER;

const t = defineMessages<Key>({
  en: SMTP_SERVER,
  fr: {
    timeout: 'délai d’attente dépassé, connexion fermée',
    shuttingDown: 'le serveur s’arrête',
    unrecognized: 'Erreur : commande inconnue',
    tooManyUnrecognized: 'Erreur : trop de commandes inconnues',
    heloFirst: 'Erreur : envoyez d’abord HELO ou EHLO',
    internal: 'Erreur : erreur interne du serveur',
    ehloSyntax: 'Erreur : syntaxe : EHLO nom-d’hôte',
    heloSyntax: 'Erreur : syntaxe : HELO nom-d’hôte',
    hostnameSyntax: 'Erreur : nom d’hôte mal formé',
    vrfySyntax: 'Erreur : syntaxe : VRFY adresse',
    notAllowed: 'Erreur : non autorisé',
    parameterSyntax: 'Erreur : paramètres de la commande mal formés',
    startTlsSyntax: 'Erreur : syntaxe : STARTTLS',
    tlsActive: 'Erreur : TLS déjà actif',
    startTlsFirst: 'Erreur : envoyez d’abord STARTTLS',
    identityChange: 'Erreur : changement d’identité interdit',
    authType: 'Erreur : méthode d’authentification inconnue',
    plainSyntax: 'Erreur : syntaxe : AUTH PLAIN jeton',
    loginSyntax: 'Erreur : syntaxe : AUTH LOGIN',
    authAborted: 'authentification abandonnée',
    senderSyntax: 'Erreur : adresse d’expéditeur mal formée',
    nestedMail: 'Erreur : commande MAIL imbriquée',
    sizeSyntax: 'Erreur : taille de message (SIZE) mal formée',
    bodyParameter: 'paramètre BODY invalide : 7BIT ou 8BITMIME attendu',
    recipientSyntax: 'Erreur : adresse de destinataire mal formée',
    needMail: 'Erreur : commande MAIL attendue d’abord',
    tooManyRecipients: 'Erreur : trop de destinataires',
    needRcpt: 'Erreur : commande RCPT attendue d’abord',
  },
});

const KEYS = new Map((Object.entries(SMTP_SERVER) as Array<[Key, string]>).map(([key, text]) => [text, key]));

/**
 * Has smtp-server's own error replies on this connection (those of SMTP_SERVER) told in
 * `language()`, the transaction's or the site's; every other reply passes as it is. Watchers of
 * the replies set after it (the limits, the client events) still read smtp-server's words.
 */
export function translateServerReplies(connection: Replies, language: () => Language): void {
  const send = connection.send.bind(connection);
  connection.send = (code, data, context) => {
    const key = typeof data === 'string' ? KEYS.get(data) : undefined;
    send(code, key === undefined ? data : replyText(t(language(), key)), context);
  };
}
