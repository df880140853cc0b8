import type { SMTPServerSession } from 'smtp-server';
import type { Logger } from '../log.js';
import type { Replies } from './smtp.js';

/** What a client did that spoils or ends its session: its own doing, never autolist's fault. */
export type ClientEvent = 'dropped_in_data' | 'connection_error' | 'timeout' | 'protocol_error';

/** smtp-server's replies to commands it cannot take: unknown, malformed, out of sequence. */
const PROTOCOL_REPLIES = new Set([500, 501, 502, 503, 504]);

/**
 * The client-caused events of the SMTP front: counted for the metrics and logged at info, without
 * a stack, since anyone can cause them; the error level is kept for autolist's own faults.
 */
export class SmtpClientEvents {
  private readonly counts = new Map<ClientEvent, number>();

  constructor(private readonly logger: Logger) {}

  record(event: ClientEvent, context: Record<string, unknown>, message: string): void {
    this.counts.set(event, (this.counts.get(event) ?? 0) + 1);
    this.logger.info({ event, ...context }, message);
  }

  /** How many of each event since start. */
  figures(): Array<[ClientEvent, number]> {
    return [...this.counts];
  }

  /** Records the timeouts and protocol errors smtp-server answers by itself, seen in the replies it sends. */
  watch(connection: Replies, session: SMTPServerSession): void {
    const send = connection.send.bind(connection);
    connection.send = (code, data, context) => {
      send(code, data, context);
      const client = { client: session.remoteAddress, session: session.id };
      if (code === 421 && String(data).startsWith('Timeout')) this.record('timeout', client, 'SMTP client silent too long: connection closed');
      else if (PROTOCOL_REPLIES.has(code)) this.record('protocol_error', { ...client, reply: `${code} ${String(data)}` }, 'SMTP command refused by the protocol');
    };
  }
}
