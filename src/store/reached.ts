import type { CompactSet } from './compact-set.js';

/** Whom earlier tries of a message reached: everyone (it was completed within the retry window), or these members. */
export type Reached = CompactSet | 'everyone';

/** The recipients no earlier try reached. */
export function notReached(reached: Reached, recipients: readonly string[]): readonly string[] {
  if (reached === 'everyone') return [];
  return reached.size === 0 ? recipients : recipients.filter((r) => !reached.has(r));
}
