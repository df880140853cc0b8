import { LRUCache } from 'lru-cache';
import { AutolistError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Counters } from './stats.js';

/** A value as served, with the time it was fetched (milliseconds, from the cache's clock). */
export interface Served<V> {
  readonly value: V;
  readonly fetchedAt: number;
  /** Whether it came from the cache rather than from a search made for this call (or joined by it). */
  readonly fromCache: boolean;
  /** Whether it is past its TTL. */
  readonly stale: boolean;
}

/** What to look up: the key, how long a value stays fresh, and how to fetch one. */
export interface CacheRequest<V> {
  key: string;
  /** Names for forgetting entries in groups (a list's address, its family). */
  tags: readonly string[];
  ttlMs: number;
  /**
   * The oldest value this caller accepts, even while the directory is down: older, it waits for the
   * search and gets its error (the value stays held for callers that accept it). Default: maxStaleMs.
   */
  maxAgeMs?: number;
  /** What log lines call the value (a list address, a sender). */
  label: string;
  load: () => Promise<V>;
}

export interface RefreshingCacheOptions<V> {
  /** What the cache holds, for log lines: `members`, `sender`. */
  name: string;
  /** The bound on the sum of sizeOf over the values held. */
  maxSize: number;
  /** A value's share of maxSize: a positive whole number. */
  sizeOf: (value: V) => number;
  /** The oldest a value may be when served past its TTL. */
  maxStaleMs: number;
  now: () => number;
  counters: Counters;
  logger?: Logger;
}

interface Held<V> {
  value: V;
  fetchedAt: number;
  tags: readonly string[];
  /** When a refresh last failed: the next background attempt waits REFRESH_RETRY_MS after it. */
  refreshFailedAt?: number;
}

interface Flight<V> {
  promise: Promise<Held<V>>;
  tags: readonly string[];
}

/** While the directory is down, a stale value is re-fetched at most this often (not once per caller). */
const REFRESH_RETRY_MS = 5_000;

/**
 * A bounded LRU cache of directory answers:
 * - fresh within the TTL;
 * - past it, served stale until it is maxStale old, while one background search refreshes it, or
 *   for as long as the directory stays down (a temporary error keeps the old value);
 * - older than that, or when nothing is held, the caller waits for the search, and its error;
 * - a caller may accept nothing older than its maxAgeMs (a rights decision): an older value is not
 *   served to it, even while the directory is down; it waits for the search, and its error;
 * - one search per key at a time, however many callers ask;
 * - a permanent error drops the held value, so that it is not hidden behind stale answers.
 */
export class RefreshingCache<V> {
  private readonly store: LRUCache<string, Held<V>>;
  private readonly flights = new Map<string, Flight<V>>();

  constructor(private readonly options: RefreshingCacheOptions<V>) {
    this.store = new LRUCache<string, Held<V>>({ maxSize: options.maxSize, sizeCalculation: (held) => options.sizeOf(held.value) });
  }

  /** The value: from the cache if it may be served, else from a search (shared with concurrent callers). */
  async get(request: CacheRequest<V>): Promise<Served<V>> {
    const cached = this.cached(request);
    if (cached) return cached;
    this.options.counters.misses++;
    const held = await this.fetch(request);
    return { value: held.value, fetchedAt: held.fetchedAt, fromCache: false, stale: false };
  }

  /**
   * The held value if it may still be served (a hit, or a stale serve that starts a background
   * refresh), else undefined. Never waits for the directory.
   */
  cached(request: CacheRequest<V>): Served<V> | undefined {
    const held = this.store.get(request.key);
    if (!held) return undefined;
    const age = this.options.now() - held.fetchedAt;
    if (age > (request.maxAgeMs ?? Infinity)) return undefined; // too old for this caller; kept for those that accept it
    if (age < request.ttlMs) {
      this.options.counters.hits++;
      return { value: held.value, fetchedAt: held.fetchedAt, fromCache: true, stale: false };
    }
    if (age < this.options.maxStaleMs) {
      this.options.counters.staleServed++;
      this.refreshInBackground(request, held);
      return { value: held.value, fetchedAt: held.fetchedAt, fromCache: true, stale: true };
    }
    this.store.delete(request.key);
    return undefined;
  }

  /** Forgets the values tagged so, or every value; searches under way for them will not be kept. */
  forget(tag?: string): void {
    const matches = (tags: readonly string[]): boolean => tag === undefined || tags.includes(tag);
    for (const [key, flight] of this.flights) if (matches(flight.tags)) this.flights.delete(key);
    const keys: string[] = [];
    for (const [key, held] of this.store.entries()) if (matches(held.tags)) keys.push(key);
    for (const key of keys) this.store.delete(key);
  }

  /** How many values are held, and the sum of their sizes. */
  held(): { count: number; size: number } {
    return { count: this.store.size, size: this.store.calculatedSize };
  }

  private fetch(request: CacheRequest<V>): Promise<Held<V>> {
    const running = this.flights.get(request.key);
    if (running) return running.promise;
    const fetchedAt = this.options.now();
    // Started on the next microtask so that a load that throws at once still goes through the flight.
    const promise = Promise.resolve()
      .then(request.load)
      .then((value): Held<V> => ({ value, fetchedAt, tags: request.tags }));
    const flight: Flight<V> = { promise, tags: request.tags };
    this.flights.set(request.key, flight);
    promise.then(
      (held) => {
        if (this.flights.get(request.key) !== flight) return; // forgotten while it ran
        this.flights.delete(request.key);
        this.keep(request, held);
      },
      (error: unknown) => {
        if (this.flights.get(request.key) === flight) this.flights.delete(request.key);
        if (!isTemporary(error)) this.store.delete(request.key);
      },
    );
    return promise;
  }

  private keep(request: CacheRequest<V>, held: Held<V>): void {
    if (request.ttlMs <= 0 && this.options.maxStaleMs <= 0) return; // could never be served
    const size = this.options.sizeOf(held.value);
    if (size > this.options.maxSize) {
      this.store.delete(request.key);
      this.options.logger?.warn({ cache: this.options.name, key: request.label, size, maxSize: this.options.maxSize }, `${this.options.name} too big to cache`);
      return;
    }
    this.store.set(request.key, held);
  }

  private refreshInBackground(request: CacheRequest<V>, held: Held<V>): void {
    const now = this.options.now();
    if (held.refreshFailedAt !== undefined && now - held.refreshFailedAt < REFRESH_RETRY_MS) return;
    this.fetch(request).catch((error: unknown) => {
      const context = {
        err: error,
        cache: this.options.name,
        key: request.label,
        ageSeconds: Math.floor((this.options.now() - held.fetchedAt) / 1000),
        maxStaleSeconds: Math.floor(this.options.maxStaleMs / 1000),
      };
      if (isTemporary(error)) {
        held.refreshFailedAt = this.options.now();
        this.options.logger?.warn(context, `directory unavailable: serving stale ${this.options.name}`);
      } else {
        this.options.logger?.error(context, `directory refused the refresh: cached ${this.options.name} dropped`);
      }
    });
  }
}

function isTemporary(error: unknown): boolean {
  return error instanceof AutolistError && error.temporary;
}
