import type { BounceEvent, BounceQuery, BouncedAddress } from './tally.js';

/** A bounce as it is recorded: its time is the record's. */
export type NewBounce = Omit<BounceEvent, 'at'>;

/**
 * The bounces of the lists' mail, by address, so that stale directory entries can be found: counted
 * in memory (reads never wait on the file or on Redis) and kept in the shared store, the bounces
 * file (FileBounceRecord) or a Redis stream (RedisBounceRecord), which `autolist bounces` reads.
 */
export interface BounceRecord {
  /**
   * Records a bounce of the relay: never fails the delivery it came from. One that cannot be kept
   * stays counted in memory (and is told to the other workers), logged once until the store takes
   * bounces again.
   */
  record(event: NewBounce): void;
  /**
   * Records the bounces a delivery status notification reports once the store holds them; when it
   * cannot take them, counts none and throws an error of its own (BOUNCES_FULL, BOUNCES_WRITE_FAILED,
   * BOUNCES_STORE_UNAVAILABLE, a StoreUnavailableError): the notification is answered 4xx and sent again.
   */
  recordReported(events: readonly NewBounce[]): Promise<void>;
  /** Counts a bounce that another worker recorded and told of. */
  count(bounce: BounceEvent): void;
  query(query: BounceQuery): { total: number; addresses: BouncedAddress[] };
  close(): Promise<void>;
}
