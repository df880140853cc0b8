import type { BounceEvent } from './bounces/tally.js';

/**
 * What one worker of `autolist serve` tells the others, so that their caches and counts agree: a
 * family reload, a cache invalidation, a bounce recorded.
 */
export type PeerEvent = { kind: 'reload' } | ({ kind: 'invalidate' } & Invalidation) | { kind: 'bounce'; bounce: BounceEvent };

/** Cached members and decisions to forget: of a list (its address), of a family (its name), or all. */
export type Invalidation = { scope: 'list' | 'family'; target: string } | { scope: 'all' };

/** The other workers of the same `autolist serve`, as a worker sees them. */
export interface Peers {
  /** Tells every other worker; resolves once each has applied it (at once for a process on its own). */
  publish(event: PeerEvent): Promise<void>;
  /** The metrics of every worker together, in Prometheus text; undefined for a process on its own. */
  readonly clusterMetrics?: () => Promise<string>;
  /** Runs `work` while no other worker runs work under the same key (the tries of one message); at once for a process on its own. */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** A process on its own (tests, commands): nobody to tell. */
export const NO_PEERS: Peers = { publish: async () => {}, exclusive: (_key, work) => work() };
