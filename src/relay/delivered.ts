import { LRUCache } from 'lru-cache';

/**
 * What earlier tries of a message delivered, batch by batch: for each batch, the recipients still
 * to be sent (none once the relay took them all). A message tried again after a failure sends only
 * those, so that members get one copy. Bounded in entries and in age (past the time a client keeps
 * retrying). Held in memory: a restart forgets it.
 */
export class DeliveredBatches {
  private readonly batches: LRUCache<string, readonly string[]>;

  constructor(options: { maxEntries: number; ttlSeconds: number }) {
    this.batches = new LRUCache({ max: options.maxEntries, ttl: options.ttlSeconds * 1000 });
  }

  /** The recipients of the batch still to send, or undefined when no earlier try got to it. */
  pending(batchId: string): readonly string[] | undefined {
    return this.batches.get(batchId);
  }

  record(batchId: string, pending: readonly string[]): void {
    this.batches.set(batchId, pending);
  }
}
