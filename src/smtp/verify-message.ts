import type { SMTPServerSession } from 'smtp-server';
import { authenticateMessage, AuthenticationUnavailableError } from '../authentication/index.js';
import type { Config } from '../config/config.js';
import { checkRecipient, type RecipientServices } from '../recipients/index.js';
import { SmtpReply } from '../reply/smtp-reply.js';
import { believedResults, dmarcVouchesFor, mtaAuthenticatedUser, type ClientTrust, type MessageResults } from '../verification/index.js';
import type { ReceivedMessage } from './message.js';
import { t } from './messages.js';
import type { Target } from './recipient.js';
import type { DecisionModerators } from '../rights/index.js';

/** How the list copies carry the message's authentication: the results believed from upstream, and autolist's own. */
export interface MessageAuthentication {
  /** The authserv-id whose Authentication-Results stay in the copies (a trusted client's); others are removed. */
  believed?: string;
  /** The Authentication-Results value autolist adds, when it checked the message itself. */
  header?: string;
  /** When the message decided that it is moderated: who moderates it. */
  moderators?: DecisionModerators;
}

export interface SessionClient {
  /** The client the sender comes from: behind an MTA that sent XFORWARD, the one it names. */
  client: string;
  /** The client connected to autolist (the MTA in front, when there is one). */
  connecting: string;
  /** Whether the connecting client named another with XFORWARD. */
  forwarded: boolean;
  helo: string;
  user?: string;
}

/** Who is on the other end of a session, and who is behind it when a trusted MTA forwarded it. */
export function sessionClient(session: SMTPServerSession): SessionClient {
  const connecting = session.xForward.get('ADDR:DEFAULT');
  return {
    client: session.remoteAddress,
    connecting: typeof connecting === 'string' ? connecting : session.remoteAddress,
    forwarded: typeof connecting === 'string',
    helo: session.hostNameAppearsAs || session.remoteAddress,
    ...(typeof session.user === 'string' ? { user: session.user } : {}),
  };
}

/**
 * The message's results: a trusted client's Authentication-Results for AUTOLIST_TRUSTED_AUTHSERV_ID
 * when it wrote some (it saw the original connection), else autolist's own check (mailauth).
 */
async function messageResults(
  config: Config,
  trust: ClientTrust,
  who: SessionClient,
  message: ReceivedMessage,
  sender: string,
): Promise<{ results: MessageResults; authentication: MessageAuthentication }> {
  const believed = trust.believedAuthservId(who.connecting);
  const upstream = believed === undefined ? undefined : believedResults(message.headers, believed);
  if (upstream !== undefined) return { results: upstream, authentication: { believed: believed as string } };
  const checked = await authenticateMessage(message.raw, { clientIp: who.client, helo: who.helo, mailFrom: sender, mta: config.smtp.hostname }, config.authentication);
  const results = { dkim: checked.dkim.result, spf: checked.spf.result, dmarc: checked.dmarc.result };
  return { results, authentication: { ...(believed === undefined ? {} : { believed }), header: checked.header } };
}

/**
 * Decides, at end of DATA, the list accepted provisionally at RCPT: with the message's DKIM, SPF
 * and DMARC, and the sender verified when its client vouches or DMARC does. Resolves with how the
 * copies carry the results; throws the SmtpReply of a refusal (550 5.7.1) or of a result that
 * cannot be had now (451).
 */
export async function decideAtData(services: RecipientServices, trust: ClientTrust, who: SessionClient, message: ReceivedMessage, sender: string, target: Target): Promise<MessageAuthentication> {
  let checked: Awaited<ReturnType<typeof messageResults>>;
  try {
    checked = await messageResults(services.config, trust, who, message, sender);
  } catch (error) {
    if (!(error instanceof AuthenticationUnavailableError)) throw error;
    services.logger.warn({ err: error, list: target.address, sender }, 'the message could not be authenticated');
    throw new SmtpReply(451, '4.7.0', t(target.list.language, 'authenticationUnchecked'));
  }
  const { results } = checked;
  const verified = trust.vouches(who.client) || dmarcVouchesFor(results, message.headers, sender);
  // Behind a trusted MTA, the login it took from its client (Postfix: smtpd_sasl_authenticated_header).
  const user = who.user ?? (who.forwarded && trust.vouches(who.connecting) ? mtaAuthenticatedUser(message.headers) : undefined);
  const context = { verified, ...results, ...(user === undefined ? {} : { authenticatedUser: user }) };
  const verdict = await checkRecipient(services, { recipient: target.address, sender, context });
  services.logger.info({ list: target.address, sender, client: who.client, ...results, verified, verdict: verdict.kind }, 'decided at end of DATA');
  switch (verdict.kind) {
    case 'accept':
      return verdict.moderators === undefined ? checked.authentication : { ...checked.authentication, moderators: verdict.moderators };
    case 'refuse': {
      // A DNS failure behind a refusal may be all that stands between the sender and the list: try again.
      const temporary = Object.entries(results).find(([, result]) => result === 'temperror');
      if (temporary !== undefined) throw new SmtpReply(451, '4.7.0', t(verdict.language, 'dnsTemporary', { method: temporary[0].toUpperCase() }));
      throw new SmtpReply(550, verdict.status, verdict.reason);
    }
    case 'defer':
      throw new SmtpReply(451, verdict.status, verdict.reason);
    case 'pending':
    case 'not-ours':
      // Neither can follow a full context and an address accepted at RCPT; a reload in between could.
      throw new SmtpReply(451, '4.3.0', t(verdict.language, 'undecided', { list: target.address }));
  }
}
