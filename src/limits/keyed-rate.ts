import { LRUCache } from 'lru-cache';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** What a rate says of one more event: allowed, or refused until the window ends. */
export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const WINDOW_SECONDS = 60;

/**
 * Events per key (a client address, a sender, a token) per minute, counted by rate-limiter-flexible
 * (fixed windows of a minute). Memory stays bounded whatever the number of keys: at most `maxKeys`
 * are held, and past that the least recently seen key is forgotten (its count starts again, which a
 * client rotating through that many keys would get anyway).
 */
export class KeyedRate {
  private readonly limiter: RateLimiterAbstract;
  private readonly keys: LRUCache<string, true>;
  /** Events refused since start. */
  refused = 0;

  constructor(
    readonly perMinute: number,
    maxKeys: number,
  ) {
    this.limiter = new RateLimiterMemory({ points: perMinute, duration: WINDOW_SECONDS });
    this.keys = new LRUCache<string, true>({
      max: maxKeys,
      ttl: WINDOW_SECONDS * 1000,
      // The limiter forgets a key the LRU drops; a key whose window ended is already gone from it.
      dispose: (_value, key, reason) => {
        if (reason === 'evict') void this.limiter.delete(key);
      },
    });
  }

  async take(key: string, points = 1): Promise<RateVerdict> {
    this.keys.set(key, true);
    try {
      await this.limiter.consume(key, points);
      return { allowed: true };
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
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
