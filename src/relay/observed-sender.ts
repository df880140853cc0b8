import { type RelayRecorder, type RelayVia, secondsSince } from '../metrics/recorders.js';
import type { Batch, BatchOutcome, BatchSender, RecordOutcome } from './delivery.js';

/**
 * A batch sender whose transactions are timed and counted for the metrics: how long each took,
 * whether it failed whole, and what became of its recipients (taken, refused for good, for now).
 */
export class ObservedSender implements BatchSender {
  constructor(
    private readonly sender: BatchSender,
    private readonly via: RelayVia,
    private readonly recorder: RelayRecorder,
  ) {}

  get name(): string {
    return this.sender.name;
  }

  async send(batch: Batch, record: RecordOutcome): Promise<BatchOutcome> {
    const started = process.hrtime.bigint();
    let outcome: BatchOutcome;
    try {
      outcome = await this.sender.send(batch, record);
    } catch (error) {
      this.recorder.batch(this.via, secondsSince(started), undefined);
      throw error;
    }
    const bounced = outcome.refused.filter((r) => r.responseCode >= 500).length;
    this.recorder.batch(this.via, secondsSince(started), { accepted: outcome.accepted.length, bounced, deferred: outcome.refused.length - bounced });
    return outcome;
  }

  checkRoom(message: Buffer, batches: ReadonlyArray<readonly string[]>): Promise<void> {
    return this.sender.checkRoom(message, batches);
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}
