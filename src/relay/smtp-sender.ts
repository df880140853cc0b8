import nodemailer, { type Transporter } from 'nodemailer';
import type { Batch, BatchOutcome, BatchSender, Refusal } from './delivery.js';
import { RelayRefusedError, RelayUnavailableError } from './errors.js';

export interface SmtpSenderOptions {
  url: string;
  /** Open connections at most (the batches sent at once). */
  maxConnections: number;
  timeoutMs: number;
  /** The name autolist gives in EHLO. */
  hostname: string;
}

/** The shape of nodemailer's errors that matters here. */
interface SendError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  permanent?: boolean;
  recipient?: string;
  rejectedErrors?: SendError[];
}

/**
 * Batches sent to an SMTP relay over a pool of connections (nodemailer), the message as it is
 * (`raw`). nodemailer fails a transaction only when every recipient is refused, so the outcome is
 * read recipient by recipient from its accepted and rejected lists.
 */
export class SmtpSender implements BatchSender {
  readonly name: string;
  private readonly transport: Transporter;

  constructor(options: SmtpSenderOptions) {
    const url = new URL(options.url);
    this.name = `${url.protocol}//${url.host}`;
    this.transport = nodemailer.createTransport({
      url: options.url,
      pool: true,
      maxConnections: options.maxConnections,
      maxMessages: 1000,
      name: options.hostname,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      dnsTimeout: options.timeoutMs,
      logger: false,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(batch: Batch): Promise<BatchOutcome> {
    try {
      const info = await this.transport.sendMail({ envelope: { from: batch.sender, to: [...batch.recipients] }, raw: batch.message });
      return { accepted: (info.accepted ?? []).map(String), refused: (info.rejectedErrors ?? []).map(refusalOf) };
    } catch (error) {
      const failure = error as SendError;
      // Every recipient refused: not a failure of the transaction, each refusal is handled on its own.
      if (failure.code === 'EENVELOPE' && failure.rejectedErrors?.length) return { accepted: [], refused: failure.rejectedErrors.map(refusalOf) };
      const reply = failure.response ?? failure.message;
      if (failure.permanent === true) throw new RelayRefusedError(`the relay ${this.name} refused the message: ${reply}`, { cause: error });
      throw new RelayUnavailableError(`the relay ${this.name} did not take the message: ${reply}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

function refusalOf(error: SendError): Refusal {
  return { recipient: error.recipient ?? '', responseCode: error.responseCode ?? 451, response: error.response ?? error.message };
}
