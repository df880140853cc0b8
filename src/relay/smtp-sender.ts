import type { SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import type { Batch, BatchOutcome, BatchSender, RecordOutcome, Refusal } from './delivery.js';
import { RelayRefusedError, RelayUnavailableError } from './errors.js';
import { SmtpPool, type SmtpError, type SmtpPoolOptions } from './smtp-pool.js';

/**
 * Batches sent to an SMTP relay over a pool of connections, the message as it is. A transaction
 * fails only when the whole of it does; the outcome is read recipient by recipient from the relay's
 * replies, and a transaction where every recipient was refused is such an outcome, not a failure.
 * The outcome is recorded in the callback that reads the relay's last reply, before anything else.
 */
export class SmtpSender implements BatchSender {
  readonly name: string;
  private readonly pool: SmtpPool;

  constructor(options: SmtpPoolOptions) {
    const url = new URL(options.url);
    this.name = `${url.protocol}//${url.host}`;
    this.pool = new SmtpPool(options);
  }

  /** The relay says itself whether it can take the message. */
  async checkRoom(): Promise<void> {}

  async send(batch: Batch, record: RecordOutcome): Promise<BatchOutcome> {
    const { outcome, recorded } = await this.pool.send({ from: batch.sender, to: [...batch.recipients] }, batch.message, (error, info) => {
      const outcome = this.outcomeOf(error, info);
      return { outcome, recorded: record(outcome) };
    });
    await recorded;
    return outcome;
  }

  async close(): Promise<void> {
    this.pool.close();
  }

  /** What the relay did with the batch; throws when the whole transaction failed. */
  private outcomeOf(error: SmtpError | null, info: SMTPConnectionSendInfo | undefined): BatchOutcome {
    if (error === null) return { accepted: info?.accepted ?? [], refused: (info?.rejectedErrors ?? []).map(refusalOf) };
    if (error.code === 'EENVELOPE' && error.rejectedErrors?.length) return { accepted: [], refused: error.rejectedErrors.map(refusalOf) };
    const reply = error.response ?? error.message;
    if (error.permanent === true) throw new RelayRefusedError(`the relay ${this.name} refused the message: ${reply}`, { cause: error });
    throw new RelayUnavailableError(`the relay ${this.name} did not take the message: ${reply}`, { cause: error });
  }
}

function refusalOf(error: SmtpError): Refusal {
  return { recipient: error.recipient ?? '', responseCode: error.responseCode ?? 451, response: error.response ?? error.message };
}
