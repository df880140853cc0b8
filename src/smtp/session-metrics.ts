import type { SMTPServerSession } from 'smtp-server';
import type { Replies } from '../limits/index.js';
import type { SmtpRecorder } from '../metrics/recorders.js';

/** The class and subject of the RFC 3463 enhanced status code a reply's text starts with (`5.1` of `5.1.1 no such list`). */
const ENHANCED = /^([245]\.\d{1,3})\.\d{1,3}(?:\s|$)/;

/**
 * The SMTP front's sessions and replies as its metrics count them: every reply a session is sent
 * (smtp-server's own, autolist's refusals, the limits' 421), and how each session ended, read from
 * the last reply it got.
 */
export class SmtpSessionMetrics {
  /** The last reply code of each session under way (0 before any). */
  private readonly lastReply = new Map<string, number>();

  constructor(private readonly recorder: SmtpRecorder) {}

  /**
   * At the start of a session (onConnect): watched before any other watcher of its replies, so that
   * the replies those send themselves (the hard error limit's 421) pass here too.
   */
  opened(connection: Replies | undefined, session: SMTPServerSession): void {
    this.recorder.sessionOpened();
    this.lastReply.set(session.id, 0);
    if (connection === undefined) return;
    const send = connection.send.bind(connection);
    connection.send = (code, data, context) => {
      send(code, data, context);
      const text = Array.isArray(data) ? data[0] : data;
      this.recorder.reply(code, ENHANCED.exec(text ?? '')?.[1]);
      // A reply after the close (a late callback) must not hold the session's entry again.
      if (this.lastReply.has(session.id)) this.lastReply.set(session.id, code);
    };
  }

  /** At its close (onClose); a session closed before onConnect (too many connections, the client gone at once) is counted opened here. */
  closed(session: SMTPServerSession): void {
    const last = this.lastReply.get(session.id);
    this.lastReply.delete(session.id);
    if (last === undefined) {
      this.recorder.sessionOpened();
      this.recorder.sessionClosed('before_greeting');
      return;
    }
    this.recorder.sessionClosed(last === 221 ? 'quit' : last === 421 ? 'server_closed' : 'client_closed');
  }
}
