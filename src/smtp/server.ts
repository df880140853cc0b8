import { readFileSync } from 'node:fs';
import { SMTPServer, type SMTPServerEnvelope, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { AutolistError, StorageError, StorageFullError } from '../errors.js';
import type { Language } from '../i18n/index.js';
import type { Replies } from '../limits/index.js';
import type { Logger } from '../log.js';
import { type RecipientServices, recipientLanguage } from '../recipients/index.js';
import { type Relay, RelayDeferredError, RelayRefusedError, RelayUnavailableError } from '../relay/index.js';
import { replyText } from '../reply/reply-text.js';
import { SmtpReply } from '../reply/smtp-reply.js';
import type { Services } from '../services.js';
import { StoreUnavailableError } from '../store/index.js';
import { Accounts } from './accounts.js';
import { deliverTransaction, type DeliveryServices } from './deliver.js';
import type { Moderation } from '../moderation/index.js';
import { siteLanguage } from '../charter/languages.js';
import { transactionLanguage } from './language.js';
import { readMessage } from './message.js';
import { t } from './messages.js';
import { translateServerReplies } from './server-replies.js';
import { acceptRecipient, admitTarget, type Target } from './recipient.js';
import { SmtpSessionMetrics } from './session-metrics.js';
import { ClientTrust } from '../verification/index.js';
import { decideAtData, sessionClient, type MessageAuthentication } from './verify-message.js';

/** What the SMTP server works with: the recipient checks', the deliveries', and the front's limits and counters. */
export type SmtpServerServices = RecipientServices & DeliveryServices & Pick<Services, 'limits' | 'smtpClientEvents'>;

/**
 * The SMTP server of the lists (smtp-server): recipients are accepted or refused during the
 * dialogue, and DATA is answered 250 only once the message was handed over for every recipient.
 * Every error given back to smtp-server carries its reply code.
 */
export function createSmtpServer(deliverer: { services: SmtpServerServices; relay: Relay; moderation?: Moderation }): SMTPServer {
  const { services } = deliverer;
  const { smtp } = services.config;
  const { logger } = services;
  const accounts = smtp.authUsersFile === undefined ? undefined : Accounts.load(smtp.authUsersFile);
  const targets = new WeakMap<SMTPServerEnvelope, Target[]>();
  const deadlines = new Map<string, NodeJS.Timeout>();
  const limits = services.limits.smtp;
  const trust = new ClientTrust(services.config.verification);
  const { xforwardClients } = services.config.verification;
  const events = services.smtpClientEvents;
  const metrics = services.mailMetrics.smtp;
  const sessions = new SmtpSessionMetrics(metrics);
  /** The site's language (AUTOLIST_LANGUAGE, else every family's when they agree), read when it is needed: families reload. */
  const site = (): Language => siteLanguage(services.catalog.resolver.families, services.config.language);
  /** The language of the transaction's lists, the site's before any. */
  const languageOf = (targets?: readonly Target[]): Language => transactionLanguage(site(), targets);

  const options: SMTPServerOptions = {
    name: smtp.hostname,
    banner: 'autolist',
    size: smtp.sizeLimitBytes,
    // onMailFrom and onData answer an oversized message themselves: smtp-server's own 552 has no
    // enhanced status code. Its SIZE check at MAIL happens only when it states the limit in EHLO:
    // hidden, EHLO offers SIZE without the number (RFC 1870 allows it) and the 552 states it.
    hideSize: true,
    rejectOversized: false,
    maxRecipients: smtp.maxRecipients,
    maxClients: smtp.maxConnections,
    socketTimeout: smtp.commandTimeoutMs,
    closeTimeout: smtp.commandTimeoutMs,
    disableReverseLookup: true,
    // An MTA in front names the original client; only the addresses listed may (smtp-server answers others 550).
    useXForward: xforwardClients.length > 0 ? xforwardClients : false,
    logger: false,
    authOptional: true,
    authMethods: ['PLAIN', 'LOGIN'],
    // Without a certificate of its own smtp-server would offer STARTTLS with a published test key.
    disabledCommands: [...(smtp.tls ? [] : ['STARTTLS']), ...(accounts ? [] : ['AUTH'])],
    ...(smtp.tls ? { cert: readFileSync(smtp.tls.certFile), key: readFileSync(smtp.tls.keyFile) } : {}),

    onConnect(session, callback) {
      /** What the session is told that is about no one recipient: in its transaction's language. */
      const language = (): Language => languageOf(targets.get(session.envelope));
      // A connection lasts SMTP_CONNECTION_TIMEOUT_MS at most; nothing the client has not been answered 250 for is lost.
      const deadline = setTimeout(() => connectionOf(server, session)?.send(421, `4.4.2 ${replyText(t(language(), 'connectionTimeLimit'))}`), smtp.connectionTimeoutMs);
      deadline.unref();
      deadlines.set(session.id, deadline);
      const connection = connectionOf(server, session);
      sessions.opened(connection, session);
      if (connection) translateServerReplies(connection, language);
      // Like Postfix's smtpd_hard_error_limit: a client piling up errors is guessing or flooding (421 4.7.0).
      if (connection) limits.watch(connection, session, language);
      if (connection) events.watch(connection, session);
      callback();
    },

    onClose(session) {
      clearTimeout(deadlines.get(session.id));
      deadlines.delete(session.id);
      sessions.closed(session);
    },

    onAuth(auth, _session, callback) {
      const refuse = (): void => callback(new SmtpReply(535, '5.7.8', t(languageOf(), 'authenticationFailed')));
      if (!accounts || auth.username === undefined || typeof auth.password !== 'string') return refuse();
      accounts.verify(auth.username, auth.password).then(
        (ok) => (ok ? callback(null, { user: auth.username }) : refuse()),
        (error: unknown) => {
          logger.error({ err: error }, 'SMTP AUTH check failed');
          callback(new SmtpReply(454, '4.7.0', t(languageOf(), 'authenticationUnavailable')));
        },
      );
    },

    onMailFrom(address, session, callback) {
      const declared = address.args === false ? undefined : address.args.SIZE;
      if (declared !== undefined && Number(declared) > smtp.sizeLimitBytes) return callback(new SmtpReply(552, '5.3.4', t(languageOf(), 'tooLarge', { limit: String(smtp.sizeLimitBytes) })));
      limits.mail(session, address.address, languageOf).then(
        () => callback(),
        (error: unknown) => callback(replyFor(error, logger, languageOf(), { sender: address.address })),
      );
    },

    onRcptTo(address, session, callback) {
      const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const who = sessionClient(session);
      // Before the message: verified now by AUTH (the rights check the user owns the address) or a trusted client; else DMARC decides at its end.
      const context = { verified: trust.vouches(who.client), beforeMessage: true, ...(who.user === undefined ? {} : { authenticatedUser: who.user }) };
      limits
        .recipient(session, sender, () => recipientLanguage(services.catalog.resolver, site(), address.address))
        .then(() => acceptRecipient(services, { recipient: address.address, sender, context }))
        .then((target) => {
          const accepted = targets.get(session.envelope) ?? [];
          admitTarget(accepted, target);
          targets.set(session.envelope, accepted);
          callback();
        })
        .catch((error: unknown) => callback(replyFor(error, logger, languageOf(targets.get(session.envelope)), { recipient: address.address, sender })));
    },

    onData(stream, session, callback) {
      const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const accepted = targets.get(session.envelope) ?? [];
      const language = languageOf(accepted);
      readMessage(stream, smtp.sizeLimitBytes, language)
        .then(async (message) => {
          const who = sessionClient(session);
          // A list accepted provisionally is alone in its transaction (admitTarget): the message decides for it.
          const pending = accepted.find((t) => t.kind === 'list' && t.decidedAtData);
          const believed = trust.believedAuthservId(who.connecting);
          const authentication: MessageAuthentication = pending ? await decideAtData(services, trust, who, message, sender, pending) : believed === undefined ? {} : { believed };
          // The message may have decided that it is moderated.
          const { moderators } = authentication;
          const targets = moderators === undefined ? accepted : accepted.map((target) => (target === pending ? { ...target, moderators } : target));
          return deliverTransaction(deliverer, { message, sender, received: receivedHeader(session, smtp.hostname, accepted), targets, authentication });
        })
        .then(
          (text) => {
            metrics.messageAccepted();
            callback(null, text);
          },
          (error: unknown) => {
            const context = { sender, recipients: accepted.map((t) => t.address) };
            if (!isClientGone(error)) return callback(replyFor(error, logger, language, context));
            events.record('dropped_in_data', { client: session.remoteAddress, session: session.id, ...context }, 'SMTP client closed the connection before the end of the message: nothing kept');
            callback(new SmtpReply(421, '4.4.2', t(language, 'closedDuringData')));
          },
        );
    },
  };
  const server = new SMTPServer(options);
  // Errors of a client's connection (reset, broken pipe, failed TLS handshake): the client's doing.
  server.on('error', (error: NodeJS.ErrnoException & { remoteAddress?: string }) =>
    events.record('connection_error', { client: error.remoteAddress, code: error.code, reason: error.message }, 'SMTP connection error'),
  );
  return server;
}

/**
 * The reply for a failure: decisions are already replies; a failure to hand the message over is
 * temporary unless the relay refused it for good. The sender reads what happened, never where:
 * the relay's address, its replies and the members it refused stay in the log. In `language`.
 */
function replyFor(error: unknown, logger: Logger, language: Language, context: Record<string, unknown>): SmtpReply {
  if (error instanceof SmtpReply) return error;
  if (error instanceof RelayRefusedError) {
    logger.warn({ err: error, ...context }, 'the relay refused the message');
    return new SmtpReply(554, '5.0.0', t(language, 'relayRefused'));
  }
  if (error instanceof RelayUnavailableError) {
    logger.warn({ err: error, ...context }, 'the relay did not take the message');
    return new SmtpReply(451, '4.4.1', t(language, 'relayUnavailable'));
  }
  if (error instanceof RelayDeferredError) {
    logger.warn({ err: error, ...context }, 'the relay refused members for now');
    return new SmtpReply(451, '4.2.0', t(language, 'relayDeferred'));
  }
  // autolist's own disk: logged at error, one line a message; the client tries again (never 250 for what is not on disk, never 5xx).
  if (error instanceof StorageFullError) {
    logger.error({ err: error, code: error.code, ...context }, 'message deferred: the disk of autolist is full');
    return new SmtpReply(452, '4.3.1', t(language, 'storageFull'));
  }
  if (error instanceof StorageError) {
    logger.error({ err: error, code: error.code, ...context }, 'message deferred: autolist cannot write to its disk');
    return new SmtpReply(451, '4.3.0', t(language, 'storageError'));
  }
  // Redis (REDIS_URL) did not answer: what a try reached cannot be read or written, so nothing more is sent.
  if (error instanceof StoreUnavailableError) {
    logger.error({ err: error, code: error.code, ...context }, 'message deferred: the shared store does not answer');
    return new SmtpReply(451, '4.3.0', t(language, 'storeUnavailable'));
  }
  // Raised by autolist serve's workers (no import here: the workers start this front).
  if (error instanceof AutolistError && error.code === 'SUPERVISOR_GONE') {
    logger.warn({ err: error, ...context }, 'message deferred: autolist is stopping');
    return new SmtpReply(451, '4.3.2', t(language, 'stopping'));
  }
  if (error instanceof AutolistError && error.temporary) {
    logger.warn({ err: error, ...context }, 'message deferred: the directory could not answer');
    return new SmtpReply(451, '4.4.3', t(language, 'directoryDown'));
  }
  logger.error({ err: error, ...context }, 'SMTP transaction failed');
  return new SmtpReply(451, '4.3.0', t(language, 'fault'));
}

/** The client closed the connection before the end of the message: nothing of it is kept. */
function isClientGone(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNECTION';
}

/** RFC 5321's trace header for the hop into autolist. */
function receivedHeader(session: SMTPServerSession, hostname: string, targets: readonly Target[]): string {
  const helo = session.hostNameAppearsAs || session.remoteAddress;
  const recipient = targets.length === 1 ? ` for <${targets[0]?.address}>` : '';
  const date = new Date().toUTCString().replace('GMT', '+0000');
  return `from ${helo} (${session.clientHostname} [${session.remoteAddress}]) by ${hostname} (autolist) with ${session.transmissionType} id ${session.id}${recipient}; ${date}`;
}

function connectionOf(server: SMTPServer, session: SMTPServerSession): Replies | undefined {
  for (const connection of server.connections) if (connection.session === session) return connection;
  return undefined;
}
