import cluster from 'node:cluster';
import { LRUCache } from 'lru-cache';
import { type RateLimiterAbstract, RateLimiterCluster, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { countStoreError } from '../metrics/store-errors.js';
import type { RedisConnection } from '../store/redis-connection.js';

/** What a rate says of one more event: allowed, or refused until the window ends. */
export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const WINDOW_SECONDS = 60;

/** Where the counts of every replica are kept (REDIS_URL), under REDIS_PREFIX. */
export interface SharedCounts {
  redis: RedisConnection;
  prefix: string;
}

/**
 * Events per key (a client address, a sender, a token) per minute, counted by rate-limiter-flexible
 * (fixed windows of a minute). With Redis (`shared`) the counts are every replica's together; while
 * Redis does not answer, each process (each serve, in a worker) counts on its own meanwhile, as
 * without Redis. Without it, in a worker of `autolist serve` the counts are the supervisor's, shared
 * by every worker (a client spread over them gets one rate). Memory stays bounded whatever the number
 * of keys: at most `maxKeys` are held here, and past that the least recently seen key is forgotten
 * (its count starts again, which a client rotating through that many keys would get anyway); Redis
 * forgets a key when its window ends.
 */
export class KeyedRate {
  private readonly limiter: RateLimiterAbstract;
  private readonly keys: LRUCache<string, true>;
  /** Events refused since start. */
  refused = 0;

  constructor(
    /** Unique among the rates: the supervisor (or Redis) keeps each rate's counts under it. */
    readonly name: string,
    readonly perMinute: number,
    maxKeys: number,
    shared?: SharedCounts,
  ) {
    const options = { points: perMinute, duration: WINDOW_SECONDS, keyPrefix: name };
    const local = cluster.isWorker ? new RateLimiterCluster(options) : new RateLimiterMemory(options);
    this.limiter =
      shared === undefined
        ? local
        : new RateLimiterRedis({ ...options, keyPrefix: `${shared.prefix}rate:${name}`, storeClient: shared.redis, rejectIfRedisNotReady: true, insuranceLimiter: counted(local) });
    this.keys = new LRUCache<string, true>({
      max: maxKeys,
      ttl: WINDOW_SECONDS * 1000,
      // The local counts forget a key the LRU drops (a key whose window ended is already gone from them); Redis's expire with their window.
      dispose: (_value, key, reason) => {
        if (reason === 'evict') void local.delete(key);
      },
    });
  }

  async take(key: string, points = 1): Promise<RateVerdict> {
    this.keys.set(key, true);
    try {
      await this.limiter.consume(key, points);
      return { allowed: true };
    } catch (result) {
      // Not a refusal: the supervisor did not answer in time (it is stopping). The event goes on, as it would without limits.
      if (!(result instanceof RateLimiterRes)) return { allowed: true };
      this.refused++;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) };
    }
  }

  /** Keys held now (those seen within the last minute, up to `maxKeys`). */
  held(): number {
    this.keys.purgeStale();
    return this.keys.size;
  }
}

/** The local limiter as insurance: each event it counts for Redis is a failure of the store. */
function counted(local: RateLimiterAbstract): RateLimiterAbstract {
  const consume = local.consume.bind(local);
  local.consume = (key, points, options) => {
    countStoreError('rate_limit');
    return consume(key, points, options);
  };
  return local;
}
