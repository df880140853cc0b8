import type { Decision } from '../rights/index.js';
import type { OptEntry } from '../store/index.js';

export type OptAction = 'subscribe' | 'unsubscribe';

/** What a subscribe or unsubscribe did, or why it did nothing. */
export type OptOutcome =
  /** Now a member: an addition recorded (the rule that admitted them in `entry.rule`). */
  | { result: 'added'; entry: OptEntry }
  /** A member of the directory's list who had unsubscribed: the exclusion is gone. */
  | { result: 'rejoined'; removed: OptEntry }
  /** No longer a member: an exclusion recorded. */
  | { result: 'excluded'; entry: OptEntry }
  /** Someone who had subscribed: the addition is gone. */
  | { result: 'left'; removed: OptEntry }
  /** Subscribing someone who is a member already, or unsubscribing someone who is not. */
  | { result: 'unchanged'; member: boolean }
  /** The family's rules refuse it (`decision` says why), or could not decide for now (`defer`). */
  | { result: 'refused' | 'deferred'; decision: Decision };

/** A request by mail: done at once when nothing needs doing, otherwise waiting for the reply that carries `token`. */
export type RequestOutcome = OptOutcome | { result: 'confirm'; token: string; expiresAt: Date };
