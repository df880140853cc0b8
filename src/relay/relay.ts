import type { RelayConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { inBatches, runLimited } from './batches.js';
import type { DeliveryRecords, DeliveryTry } from '../store/index.js';
import type { BatchSender, Delivery, DeliveryReport, RecordOutcome, RelayBounce } from './delivery.js';
import { RelayDeferredError } from './errors.js';
import type { RelayRecorder } from '../metrics/recorders.js';
import { ObservedSender } from './observed-sender.js';
import { OutboxSender } from './outbox.js';
import { SmtpSender } from './smtp-sender.js';

/** Further transactions for recipients refused with 4xx, within one try of the message. */
const TEMPORARY_REFUSAL_RETRIES = 1;

export interface RelayOptions {
  /** The name autolist gives in EHLO. */
  hostname: string;
  logger: Logger;
  /** Told of each transaction with the relay (the metrics); none by default. */
  metrics?: RelayRecorder;
  /** Called for each recipient the relay refused for good. */
  onBounce: (bounce: RelayBounce) => void;
  /** What each message's tries reached (the store's), and the lock of a message among the processes sharing them. */
  deliveries: DeliveryRecords;
}

/**
 * Hands messages over in batches (RELAY_BATCH_SIZE recipients a transaction, RELAY_PARALLEL_BATCHES at
 * once) to the relay of the list's priority, or to the outbox folder. A delivery resolves only when
 * every recipient was taken or refused for good. Each try of a message is recorded in the store
 * (files or Redis), so that a try after a failure, a restart or on another replica sends only to
 * the members no earlier try reached.
 */
export class Relay {
  private readonly senders = new Map<string, BatchSender>();
  /** The try under way of each message here: a retry arriving meanwhile waits for it, then reads what it did (so does one reaching another worker). */
  private readonly underWay = new Map<string, Promise<unknown>>();

  constructor(
    private readonly config: RelayConfig,
    private readonly options: RelayOptions,
  ) {}

  /** Readies the delivery records (RELAY_STATE_DIR, or Redis); throws when the folder cannot be written. */
  async start(): Promise<void> {
    await this.options.deliveries.start();
  }

  /** Where lists of this priority go: its own relay, else RELAY_URL, else the outbox. */
  destination(priority: number): string {
    return this.senderFor(priority).name;
  }

  async deliver(delivery: Delivery): Promise<DeliveryReport> {
    const earlier = this.underWay.get(delivery.key) ?? Promise.resolve();
    const { deliveries } = this.options;
    const current = earlier.catch(() => undefined).then(() => deliveries.exclusive(delivery.key, () => this.tryOnce(delivery)));
    this.underWay.set(delivery.key, current);
    try {
      return await current;
    } finally {
      if (this.underWay.get(delivery.key) === current) this.underWay.delete(delivery.key);
    }
  }

  async close(): Promise<void> {
    await this.options.deliveries.stop();
    await Promise.all([...this.senders.values()].map((s) => s.close()));
  }

  /**
   * One try: the members no earlier try reached, in batches. Before the first batch the record
   * (and the outbox) are checked for room; after a batch's outcome cannot be recorded no further
   * batch starts. The try reaches everyone only once its key is recorded as completed.
   */
  private async tryOnce(delivery: Delivery): Promise<DeliveryReport> {
    const sender = this.senderFor(delivery.priority);
    const record = await this.options.deliveries.begin(delivery.key, delivery.list, delivery.recipients.length > this.config.batchSize);
    const pending = record.pending(delivery.recipients);
    const batches = inBatches(pending, delivery.personalise === undefined ? this.config.batchSize : 1);
    const report: DeliveryReport = { recipients: delivery.recipients.length, batches: batches.length, alreadyDelivered: delivery.recipients.length - pending.length, bounced: 0 };
    if (record.completedAt !== undefined) return { ...report, completedAt: record.completedAt };
    const tasks = batches.map((recipients, index) => async () => {
      const id = `${record.id}-${String(index).padStart(5, '0')}`;
      report.bounced += await this.deliverBatch(sender, delivery, record, id, recipients);
    });
    try {
      if (batches.length > 0) {
        await record.prepare(batches);
        await sender.checkRoom(delivery.message, batches);
      }
      await runLimited(tasks, this.config.parallelBatches);
    } catch (error) {
      await record.abandon();
      throw error;
    }
    await record.complete();
    return report;
  }

  /** Sends one batch and records what the relay did; returns how many recipients bounced; throws when some stay refused for now. */
  private async deliverBatch(sender: BatchSender, delivery: Delivery, record: DeliveryTry, id: string, recipients: readonly string[]): Promise<number> {
    let pending = recipients;
    let bounced = 0;
    // The members taken, and those refused for good: recorded before anything else is done with the answer.
    const recordOutcome: RecordOutcome = ({ accepted, refused }) =>
      record.record(
        accepted,
        refused.filter((r) => r.responseCode >= 500).map((r) => r.recipient),
      );
    for (let attempt = 0; ; attempt++) {
      const message = delivery.personalise?.(pending[0] as string) ?? delivery.message;
      const outcome = await sender.send({ id, sender: delivery.sender, recipients: pending, message }, recordOutcome);
      const temporary = outcome.refused.filter((r) => r.responseCode < 500);
      const permanent = outcome.refused.filter((r) => r.responseCode >= 500);
      for (const refusal of permanent) {
        this.options.onBounce({ list: delivery.list, address: refusal.recipient, status: statusOf(refusal.response, refusal.responseCode), diagnostic: refusal.response });
      }
      bounced += permanent.length;
      pending = temporary.map((r) => r.recipient);
      if (pending.length === 0) return bounced;
      if (attempt >= TEMPORARY_REFUSAL_RETRIES) {
        const first = temporary[0];
        throw new RelayDeferredError(`${sender.name} refused ${pending.length} recipient(s) for now (${first?.recipient}: ${first?.response})`);
      }
    }
  }

  private senderFor(priority: number): BatchSender {
    const url = this.config.priorityUrls[priority] ?? this.config.url;
    const key = url ?? 'outbox';
    let sender = this.senders.get(key);
    if (sender === undefined) {
      sender =
        url === undefined
          ? new OutboxSender(this.config.outboxDir)
          : new SmtpSender({ url, maxConnections: this.config.maxConnections, timeoutMs: this.config.timeoutMs, hostname: this.options.hostname });
      if (this.options.metrics) sender = new ObservedSender(sender, url === undefined ? 'outbox' : 'smtp', this.options.metrics);
      this.senders.set(key, sender);
    }
    return sender;
  }
}

/** The enhanced status code of a reply (`550 5.1.1 ...`), or one made from its basic code. */
function statusOf(response: string, code: number): string {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(response)?.[1] ?? `${Math.floor(code / 100)}.0.0`;
}
