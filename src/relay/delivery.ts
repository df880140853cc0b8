/** One message to hand over: the same key for the same message to the same target, tried again or not. */
export interface Delivery {
  /** From the Message-ID, the target address and the content's hash: a retried message has the same key. */
  key: string;
  /** The envelope sender; empty for the null sender of automatic replies. */
  sender: string;
  /** The members as they are now: a try sends to those no earlier try reached. */
  recipients: readonly string[];
  message: Buffer;
  /**
   * Each recipient's own copy (a header of their own: the one-click unsubscribe link): each then goes
   * in a transaction of its own, RFC 5321 giving one content to all the recipients of a transaction.
   */
  personalise?: (recipient: string) => Buffer;
  /** The list's priority (1 most urgent .. 9): it picks the relay. */
  priority: number;
  /** The list the message is for: refused recipients are recorded as its bounces. */
  list: string;
}

export interface DeliveryReport {
  recipients: number;
  batches: number;
  /** Recipients skipped because an earlier try of the same message reached them. */
  alreadyDelivered: number;
  /** Recipients the relay refused for good: recorded as bounces, not a failure of the message. */
  bounced: number;
  /** Set when an earlier try of the same message, within the retry window, reached everyone: nothing was sent. */
  completedAt?: Date;
}

/** One SMTP transaction's worth of a delivery. */
export interface Batch {
  /** The try's name (the delivery's key and a suffix of its own) and the batch's index: the name of the batch wherever it is written. */
  id: string;
  sender: string;
  recipients: readonly string[];
  message: Buffer;
}

/** A recipient the relay refused, with its reply. */
export interface Refusal {
  recipient: string;
  responseCode: number;
  response: string;
}

export interface BatchOutcome {
  accepted: readonly string[];
  refused: readonly Refusal[];
}

/**
 * Records what the relay did with a batch. Called synchronously, first thing once the answer is
 * known (nothing else runs before it); throws when the outcome cannot be recorded. A record in
 * files is written when it returns; one in Redis when its promise resolves, which the sender awaits
 * before its send resolves (so before the next batch and the client's answer).
 */
export type RecordOutcome = (outcome: BatchOutcome) => void | Promise<void>;

/** Hands one batch over in one transaction; throws a RelayError when the whole transaction fails. */
export interface BatchSender {
  readonly name: string;
  /** Resolves with the outcome once `record` took it; rejects with a relay's failure or with what `record` threw or rejected with. */
  send(batch: Batch, record: RecordOutcome): Promise<BatchOutcome>;
  /** Throws when the batches of a message cannot be taken now (the outbox's disk is full or read-only): nothing is sent then. */
  checkRoom(message: Buffer, batches: ReadonlyArray<readonly string[]>): Promise<void>;
  close(): Promise<void>;
}

/** A recipient the relay refused for good. */
export interface RelayBounce {
  list: string;
  address: string;
  status: string;
  diagnostic: string;
}
