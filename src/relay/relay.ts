import type { RelayConfig } from '../config/config.js';
import { inBatches, runLimited } from './batches.js';
import { DeliveredBatches } from './delivered.js';
import type { BatchSender, Delivery, DeliveryReport, RelayBounce } from './delivery.js';
import { RelayDeferredError } from './errors.js';
import { OutboxSender } from './outbox.js';
import { SmtpSender } from './smtp-sender.js';

/** Further transactions for recipients refused with 4xx, within one try of the message. */
const TEMPORARY_REFUSAL_RETRIES = 1;

export interface RelayOptions {
  /** The name autolist gives in EHLO. */
  hostname: string;
  /** Called for each recipient the relay refused for good. */
  onBounce: (bounce: RelayBounce) => void;
}

/**
 * Hands messages over in batches (RELAY_BATCH_SIZE recipients a transaction, RELAY_PARALLEL_BATCHES at
 * once) to the relay of the list's priority, or to the outbox folder. A delivery resolves only when
 * every recipient was taken or refused for good; batches delivered by an earlier try of the same
 * message are skipped.
 */
export class Relay {
  private readonly senders = new Map<string, BatchSender>();
  private readonly delivered: DeliveredBatches;

  constructor(
    private readonly config: RelayConfig,
    private readonly options: RelayOptions,
  ) {
    this.delivered = new DeliveredBatches({ maxEntries: config.deliveredEntries, ttlSeconds: config.deliveredTtlSeconds });
  }

  /** Where lists of this priority go: its own relay, else RELAY_URL, else the outbox. */
  destination(priority: number): string {
    return this.senderFor(priority).name;
  }

  async deliver(delivery: Delivery): Promise<DeliveryReport> {
    const sender = this.senderFor(delivery.priority);
    const batches = inBatches(delivery.recipients, this.config.batchSize);
    const report: DeliveryReport = { recipients: delivery.recipients.length, batches: batches.length, alreadyDelivered: 0, bounced: 0 };
    const tasks = batches.map((recipients, index) => async () => {
      const id = `${delivery.key}-${String(index).padStart(5, '0')}`;
      const pending = this.delivered.pending(id) ?? recipients;
      if (pending.length === 0) report.alreadyDelivered++;
      else report.bounced += await this.deliverBatch(sender, delivery, id, pending);
    });
    await runLimited(tasks, this.config.parallelBatches);
    return report;
  }

  async close(): Promise<void> {
    await Promise.all([...this.senders.values()].map((s) => s.close()));
  }

  /** Sends one batch; returns how many recipients bounced; throws when some stay refused for now. */
  private async deliverBatch(sender: BatchSender, delivery: Delivery, id: string, recipients: readonly string[]): Promise<number> {
    let pending = recipients;
    let bounced = 0;
    for (let attempt = 0; ; attempt++) {
      const outcome = await sender.send({ id, sender: delivery.sender, recipients: pending, message: delivery.message });
      const temporary = outcome.refused.filter((r) => r.responseCode < 500);
      for (const refusal of outcome.refused) {
        if (refusal.responseCode < 500) continue;
        bounced++;
        this.options.onBounce({ list: delivery.list, address: refusal.recipient, status: statusOf(refusal.response, refusal.responseCode), diagnostic: refusal.response });
      }
      pending = temporary.map((r) => r.recipient);
      this.delivered.record(id, pending);
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
          : new SmtpSender({ url, maxConnections: this.config.parallelBatches, timeoutMs: this.config.timeoutMs, hostname: this.options.hostname });
      this.senders.set(key, sender);
    }
    return sender;
  }
}

/** The enhanced status code of a reply (`550 5.1.1 ...`), or one made from its basic code. */
function statusOf(response: string, code: number): string {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(response)?.[1] ?? `${Math.floor(code / 100)}.0.0`;
}
