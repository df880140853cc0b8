import type { SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { parseConnectionUrl } from 'nodemailer/lib/shared';

export interface SmtpPoolOptions {
  /** smtp:// or smtps://, with user:password@ and nodemailer's connection options as query parameters. */
  url: string;
  /** Open connections at most. */
  maxConnections: number;
  timeoutMs: number;
  /** The name given in EHLO. */
  hostname: string;
}

/** A connection is closed after this many messages (as nodemailer's pool does; Exim refuses more by default). */
const MAX_MESSAGES_PER_CONNECTION = 1000;
/** An unused connection is closed after this long, well before a server's own idle timeout (Postfix: 300 s). */
const IDLE_CLOSE_MS = 10_000;

interface Pooled {
  connection: SMTPConnection;
  messages: number;
  idleTimer?: NodeJS.Timeout;
  /** Closed, or closing: it is not handed out again. */
  gone: boolean;
}

interface Waiter {
  resolve(pooled: Pooled): void;
  reject(error: unknown): void;
}

/** The shape of nodemailer's errors that matters here. */
export interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  permanent?: boolean;
  recipient?: string;
  rejectedErrors?: SmtpError[];
}

/**
 * Connections to one SMTP relay, kept open from one transaction to the next: nodemailer's
 * SMTPConnection (greeting, EHLO, STARTTLS, AUTH, PIPELINING when the relay offers it, each
 * recipient's reply read), without the message composer and address parser of nodemailer's
 * transports, which the raw messages and plain addresses of a list do not need.
 */
export class SmtpPool {
  private readonly connectionOptions: SMTPConnection.Options;
  private readonly auth: { user: string; pass: string } | undefined;
  private readonly idle: Pooled[] = [];
  private readonly waiters: Waiter[] = [];
  /** Connections open or opening. */
  private open = 0;
  private closed = false;

  constructor(private readonly options: SmtpPoolOptions) {
    const { auth, ...connection } = parseConnectionUrl(options.url) as SMTPConnection.Options & { auth?: { user: string; pass: string } };
    this.auth = auth;
    this.connectionOptions = {
      ...connection,
      name: options.hostname,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      dnsTimeout: options.timeoutMs,
      logger: false,
    };
  }

  /**
   * One transaction: the envelope and the message as it is. `settle` reads nodemailer's answer (its
   * error, or the relay's replies) within nodemailer's own callback, before anything else runs (the
   * connection is not yet handed to another transaction), or the error of a connection that could not
   * be opened; the promise takes what it returns or throws.
   */
  async send<T>(envelope: { from: string; to: string[] }, message: Buffer, settle: (error: SmtpError | null, info: SMTPConnectionSendInfo | undefined) => T): Promise<T> {
    let pooled: Pooled;
    try {
      pooled = await this.acquire();
    } catch (error) {
      return settle(error as SmtpError, undefined);
    }
    return new Promise<T>((resolve, reject) =>
      pooled.connection.send(envelope, message, (error, info) => {
        try {
          resolve(settle(error as SmtpError | null, info as SMTPConnectionSendInfo | undefined));
        } catch (failure) {
          reject(failure);
        }
        if (error) return this.afterFailure(pooled, error as SmtpError);
        pooled.messages++;
        this.release(pooled);
      }),
    );
  }

  /** Closes every connection; transactions waiting for one are refused. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('the relay connections are closed'));
    for (const pooled of [...this.idle]) this.discard(pooled, 'quit');
  }

  private acquire(): Promise<Pooled> {
    if (this.closed) return Promise.reject(new Error('the relay connections are closed'));
    for (let pooled = this.idle.pop(); pooled !== undefined; pooled = this.idle.pop()) {
      if (pooled.gone) continue;
      clearTimeout(pooled.idleTimer);
      return Promise.resolve(pooled);
    }
    if (this.open < this.options.maxConnections) return this.connect();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Opens a connection (counted at once), logged in when the URL gives credentials and the relay offers AUTH. */
  private connect(): Promise<Pooled> {
    this.open++;
    const connection = new SMTPConnection(this.connectionOptions);
    const pooled: Pooled = { connection, messages: 0, gone: false };
    // Emitted for any failure, also the one a callback already reports: listened to so that it never goes unhandled.
    connection.on('error', () => undefined);
    connection.once('end', () => this.discard(pooled));
    return new Promise<void>((resolve, reject) => {
      connection.once('end', () => reject(new Error(`the relay closed the connection: ${connection.lastServerResponse || 'no reply'}`)));
      connection.connect((error) => (error ? reject(error) : resolve()));
    })
      .then(() =>
        this.auth !== undefined && connection.allowsAuth ? new Promise<void>((resolve, reject) => connection.login({ ...this.auth }, (error) => (error ? reject(error) : resolve()))) : undefined,
      )
      .then(
        () => pooled,
        (error: unknown) => {
          this.discard(pooled);
          throw error;
        },
      );
  }

  /** Hands the connection to a waiting transaction, or keeps it for the next one (closed after a while unused). */
  private release(pooled: Pooled): void {
    if (pooled.gone) return;
    if (this.closed || pooled.messages >= MAX_MESSAGES_PER_CONNECTION) return this.discard(pooled, 'quit');
    const waiter = this.waiters.shift();
    if (waiter !== undefined) return waiter.resolve(pooled);
    pooled.idleTimer = setTimeout(() => this.discard(pooled, 'quit'), IDLE_CLOSE_MS);
    pooled.idleTimer.unref();
    this.idle.push(pooled);
  }

  /** A transaction the relay refused leaves the connection usable once reset; any other failure closes it. */
  private afterFailure(pooled: Pooled, error: SmtpError): void {
    const refused = (error.code === 'EENVELOPE' || error.code === 'EMESSAGE') && error.responseCode !== 421;
    if (!refused || pooled.gone) return this.discard(pooled);
    pooled.connection.reset((failure) => (failure ? this.discard(pooled) : this.release(pooled)));
  }

  /** Closes the connection once (saying QUIT when it is sound); a transaction waiting for one gets a new connection instead. */
  private discard(pooled: Pooled, how: 'quit' | 'close' = 'close'): void {
    if (pooled.gone) return;
    pooled.gone = true;
    clearTimeout(pooled.idleTimer);
    if (how === 'quit') pooled.connection.quit();
    else pooled.connection.close();
    this.open--;
    const waiter = this.waiters.shift();
    if (waiter !== undefined && !this.closed) this.connect().then(waiter.resolve, waiter.reject);
  }
}
