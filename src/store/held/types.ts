/** Where a held message stands: waiting for a moderator, or decided (expiry decides when nobody did). */
export type HeldState = 'held' | 'approved' | 'rejected' | 'expired';

/** A decision on a held message: who took it (a moderator's address, `admin`, or `expiry`), when, and a reason for a rejection. */
export interface HeldDecision {
  state: Exclude<HeldState, 'held'>;
  by: string;
  at: Date;
  reason?: string;
}

/** What is held: the message as autolist took it, its envelope and list, and who may decide. */
export interface NewHeldMessage {
  /** The list the message was sent to (its address). */
  list: string;
  /** The envelope sender, whom rejections and expiry notices go to. */
  sender: string;
  /** The message as autolist took it (its Received and Authentication-Results added), without the list's headers. */
  raw: Buffer;
  heldAt: Date;
  expiresAt: Date;
  /** The moderators' addresses when the message was held, each told of it. */
  moderators: string[];
}

export interface HeldMessage extends NewHeldMessage {
  id: string;
  state: HeldState;
  decision?: HeldDecision;
  /** Whether what the decision calls for (the relay, the author's notice) was done. */
  settled: boolean;
}

/** The outcome of deciding: `won` when this decision was the first; otherwise the message carries the one that was. */
export interface DecideOutcome {
  won: boolean;
  message: HeldMessage;
}

/**
 * Held messages (moderation), kept in local files or in Redis as the store is. Every write is
 * durable before it resolves; the first decision on a message wins, atomically across processes.
 */
export interface HeldStore {
  /** Keeps a message; resolves once it is recorded (a 250 follows), with its id. */
  hold(message: NewHeldMessage): Promise<HeldMessage>;
  /** The message of this id, decided or not; undefined when there is none (never held, or removed once settled and expired). */
  get(id: string): Promise<HeldMessage | undefined>;
  /** The messages still waiting for a decision, of one list or of all, oldest first. */
  waiting(list?: string): Promise<HeldMessage[]>;
  /** Records the decision when the message is still held; the first decision wins. Throws HeldNotFoundError when there is no such message. */
  decide(id: string, decision: HeldDecision): Promise<DecideOutcome>;
  /** Notes that what the decision calls for was done. */
  settle(id: string): Promise<void>;
  /** The ids of messages past their expiry, or decided but not settled: what a sweep looks at. */
  due(now: Date): Promise<string[]>;
  /** Forgets a message (settled, and past its expiry: no link to it works any more). */
  remove(id: string): Promise<void>;
  /** Runs `work` while no other process runs work under the same name (one sweep at a time across workers and replicas). */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>;
}
