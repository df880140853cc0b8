/**
 * What the tries of each message reached, by delivery key (sender, list, Message-ID and content
 * hash), so that a try after a 4xx, a restart or on another replica sends only to the members no
 * earlier try reached, and a message that reached everyone goes to nobody again within
 * RETRY_WINDOW. Local files (RELAY_STATE_DIR) or Redis (REDIS_URL).
 */
export interface DeliveryRecords {
  /** Makes the records ready before the first message (files: folders made, completed keys loaded); throws when they cannot be. */
  start(): Promise<void>;
  /**
   * Begins a try of the message, reading back what earlier tries did. With `writeThrough` (a message
   * of several batches) each batch's outcome is recorded as the relay answers; otherwise only when
   * the try ends. Throws a typed temporary error when the records cannot be read: nothing is sent then.
   */
  begin(key: string, list: string, writeThrough: boolean): Promise<DeliveryTry>;
  /** Runs `work` while no other process sharing the records runs work under the same key (the tries of one message). */
  readonly exclusive: Exclusive;
  stop(): Promise<void>;
}

/** One try of a message: what earlier tries reached, and the record of this one. */
export interface DeliveryTry {
  /** The name of this try, unique among the processes sharing the records: the batches it sends are named after it. */
  readonly id: string;
  /** When an earlier try reached everyone within the retry window (this one then sends nothing), or undefined. */
  readonly completedAt: Date | undefined;
  /** The recipients no earlier try reached. */
  pending(recipients: readonly string[]): readonly string[];
  /** Before the first batch: checks that the record can take these batches, and readies it; throws a typed temporary error otherwise. */
  prepare(batches: ReadonlyArray<readonly string[]>): Promise<void>;
  /**
   * Records what the relay did with one batch: the members it took and those it refused for good.
   * Files: synchronously, on disk when it returns. Redis: once the returned promise resolves. Throws
   * (or rejects) with a typed temporary error when it cannot be recorded: no further batch starts.
   */
  record(accepted: readonly string[], bounced: readonly string[]): void | Promise<void>;
  /** Ends a try that reached everyone, before the client gets its answer; throws when that cannot be recorded. */
  complete(): Promise<void>;
  /** Ends a try that did not reach everyone: what it held is written, so that the next try skips whom it reached. */
  abandon(): Promise<void>;
}

/** Runs `work` while no other process runs work under the same key. */
export type Exclusive = <T>(key: string, work: () => Promise<T>) => Promise<T>;
