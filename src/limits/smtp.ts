import type { SMTPServerSession } from 'smtp-server';
import { Networks } from '../address/networks.js';
import type { SmtpLimitsConfig } from '../config/config.js';
import type { Language } from '../i18n/index.js';
import type { Logger } from '../log.js';
import { replyText } from '../reply/reply-text.js';
import { SmtpReply } from '../reply/smtp-reply.js';
import { KeyedRate, type SharedCounts } from './keyed-rate.js';
import { t } from './messages.js';

/** The SMTP rates, by the name they have in metrics. */
export type SmtpRateName = 'messages_per_ip' | 'messages_per_sender' | 'recipients_per_ip' | 'recipients_per_sender';

/** The longest sender key held: a longer address shares its key with those that begin alike. */
const MAX_SENDER_KEY = 320;

/** What of an smtp-server connection the hard error limit watches: the replies it sends. */
export interface Replies {
  send(code: number, data?: string | string[] | null, context?: string | false): void;
}

/** The language a refusal is told in, asked only when there is one. */
type ReplyLanguage = () => Language;

/**
 * What the SMTP front tolerates of a client: message (MAIL) and recipient (RCPT) rates per client
 * address and per sender, answered 450 4.7.1 (temporary: the client slows down and retries), and
 * a hard limit on errors per session, like Postfix's smtpd_hard_error_limit.
 */
export class SmtpLimits {
  private readonly exempt: Networks;
  readonly rates: ReadonlyMap<SmtpRateName, KeyedRate>;
  /** Sessions closed at the hard error limit since start. */
  hardErrorDisconnects = 0;

  constructor(
    private readonly config: SmtpLimitsConfig,
    maxKeys: number,
    private readonly logger: Logger,
    shared?: SharedCounts,
  ) {
    this.exempt = new Networks(config.rateExemptNetworks);
    const rates = new Map<SmtpRateName, KeyedRate>();
    const add = (name: SmtpRateName, perMinute: number): void => {
      if (perMinute > 0) rates.set(name, new KeyedRate(`smtp_${name}`, perMinute, maxKeys, shared));
    };
    add('messages_per_ip', config.messagesPerIp);
    add('messages_per_sender', config.messagesPerSender);
    add('recipients_per_ip', config.recipientsPerIp);
    add('recipients_per_sender', config.recipientsPerSender);
    this.rates = rates;
  }

  /** At MAIL FROM: one more message from this client and this sender. Throws a 450 SmtpReply (in `language`) past a rate. */
  async mail(session: SMTPServerSession, sender: string, language: ReplyLanguage): Promise<void> {
    await this.take(session, sender, language, { perIp: 'messages_per_ip', perSender: 'messages_per_sender', fromClient: 'mailFromClient', fromSender: 'mailFromSender' });
  }

  /** At RCPT TO, before the recipient is looked at: one more recipient from this client and this sender. */
  async recipient(session: SMTPServerSession, sender: string, language: ReplyLanguage): Promise<void> {
    // smtp-server runs pipelined commands one after the other in microtasks: without a turn of the
    // event loop per recipient, clients pipelining hundreds of them would hold it (and /healthz) meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
    await this.take(session, sender, language, {
      perIp: 'recipients_per_ip',
      perSender: 'recipients_per_sender',
      fromClient: 'recipientsFromClient',
      fromSender: 'recipientsFromSender',
    });
  }

  /**
   * Counts the error replies (4xx and 5xx) a session gets, whoever refused (a recipient autolist
   * refuses, an address smtp-server finds malformed, a rate, a failed AUTH): at the hard error
   * limit the session gets 421 4.7.0 and is closed. Not counted: 421 (the session ends anyway) and
   * 452, which asks the client to send the recipients again in another transaction (past
   * AUTOLIST_SMTP_MAX_RECIPIENTS, or a list that must go alone): no error of the client's.
   * The 421 is in `language`.
   */
  watch(connection: Replies, session: SMTPServerSession, language: ReplyLanguage): void {
    const limit = this.config.hardErrorLimit;
    if (limit === 0) return;
    const send = connection.send.bind(connection);
    let errors = 0;
    connection.send = (code, data, context) => {
      send(code, data, context);
      if (code < 400 || code === 421 || code === 452) return;
      // Replies to commands pipelined before the close still pass here: the session is closed once.
      if (++errors !== limit) return;
      this.hardErrorDisconnects++;
      // One line a session, not one a refusal: a flood does not flood the log.
      this.logger.warn({ client: session.remoteAddress, session: session.id, errors }, 'SMTP session closed at the hard error limit');
      send(421, `4.7.0 ${replyText(t(language(), 'tooManyErrors'))}`);
    };
  }

  private async take(session: SMTPServerSession, sender: string, language: ReplyLanguage, rates: CommandRates): Promise<void> {
    const client = clientAddress(session.remoteAddress);
    const ipRate = this.exempt.has(client) ? undefined : this.rates.get(rates.perIp);
    if (ipRate) {
      const verdict = await ipRate.take(client);
      if (!verdict.allowed) throw new SmtpReply(450, '4.7.1', t(language(), rates.fromClient, { client, seconds: verdict.retryAfterSeconds }));
    }
    // The null sender (bounces, automatic replies) has no address of its own to count.
    const senderRate = sender === '' ? undefined : this.rates.get(rates.perSender);
    if (senderRate) {
      const verdict = await senderRate.take(sender.toLowerCase().slice(0, MAX_SENDER_KEY));
      if (!verdict.allowed) throw new SmtpReply(450, '4.7.1', t(language(), rates.fromSender, { seconds: verdict.retryAfterSeconds }));
    }
  }
}

/** The rates of one command, per client address and per sender, and what each says past it. */
interface CommandRates {
  perIp: SmtpRateName;
  perSender: SmtpRateName;
  fromClient: 'mailFromClient' | 'recipientsFromClient';
  fromSender: 'mailFromSender' | 'recipientsFromSender';
}

/** The client's address as one key, an IPv4 client on an IPv6 socket (::ffff:192.0.2.1) as its IPv4 address. */
function clientAddress(remote: string): string {
  return remote.startsWith('::ffff:') && remote.includes('.') ? remote.slice(7) : remote;
}
