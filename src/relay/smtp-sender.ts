import type { Batch, BatchOutcome, BatchSender, Refusal } from './delivery.js';
import { RelayRefusedError, RelayUnavailableError } from './errors.js';
import { SmtpPool, type SmtpError, type SmtpPoolOptions } from './smtp-pool.js';

/**
 * Batches sent to an SMTP relay over a pool of connections, the message as it is. A transaction
 * fails only when the whole of it does; the outcome is read recipient by recipient from the relay's
 * replies, and a transaction where every recipient was refused is such an outcome, not a failure.
 */
export class SmtpSender implements BatchSender {
  readonly name: string;
  private readonly pool: SmtpPool;

  constructor(options: SmtpPoolOptions) {
    const url = new URL(options.url);
    this.name = `${url.protocol}//${url.host}`;
    this.pool = new SmtpPool(options);
  }

  async send(batch: Batch): Promise<BatchOutcome> {
    try {
      const info = await this.pool.send({ from: batch.sender, to: [...batch.recipients] }, batch.message);
      return { accepted: info.accepted, refused: (info.rejectedErrors ?? []).map(refusalOf) };
    } catch (error) {
      const failure = error as SmtpError;
      if (failure.code === 'EENVELOPE' && failure.rejectedErrors?.length) return { accepted: [], refused: failure.rejectedErrors.map(refusalOf) };
      const reply = failure.response ?? failure.message;
      if (failure.permanent === true) throw new RelayRefusedError(`the relay ${this.name} refused the message: ${reply}`, { cause: error });
      throw new RelayUnavailableError(`the relay ${this.name} did not take the message: ${reply}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.pool.close();
  }
}

function refusalOf(error: SmtpError): Refusal {
  return { recipient: error.recipient ?? '', responseCode: error.responseCode ?? 451, response: error.response ?? error.message };
}
