/** Counters kept by a Membership since it was built. */
export interface Counters {
  /** Answers served from a fresh cached value. */
  hits: number;
  /** Answers that needed the directory: nothing cached, or cached too long ago to serve. */
  misses: number;
  /** Answers served from a value past its TTL (while it is refreshed, or while the directory is down). */
  staleServed: number;
  /** Directory searches started. */
  searches: number;
  /** Directory searches that failed. */
  errors: number;
}

export interface MembershipStats extends Counters {
  /** Lists whose members are held in memory. */
  listsHeld: number;
  /** Member addresses held in memory, across those lists. */
  membersHeld: number;
  /** Sender lookups (found or not) held in memory. */
  sendersHeld: number;
}

export function zeroCounters(): Counters {
  return { hits: 0, misses: 0, staleServed: 0, searches: 0, errors: 0 };
}
