import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../log.js';
import { countStoreError } from '../../metrics/store-errors.js';
import type { RedisConnection } from '../redis-connection.js';
import { unavailable } from './unavailable.js';

/** Deletes the lock only while it holds this holder's token: a lock that lapsed and went to another holder is left alone. */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
/** Extends the lock only while it holds this holder's token. */
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";

/** A holder renews its lock every third of the lease; one that died lets go when the lease runs out. */
export const LOCK_LEASE_MS = 15_000;
/** How often a waiter asks again, doubling from the first to the last. */
const FIRST_POLL_MS = 20;
const LAST_POLL_MS = 500;

/**
 * Locks in Redis, one holder a key across every process sharing the Redis: SET NX PX with a random
 * token, renewed while held, released by a compare-and-delete script. A waiter polls until the key
 * is free; a holder that died releases by expiry.
 */
export class RedisLocks {
  constructor(
    private readonly redis: RedisConnection,
    private readonly logger: Logger,
    private readonly leaseMs = LOCK_LEASE_MS,
  ) {}

  /**
   * Waits until `name` is free and takes it. Throws a StoreUnavailableError when Redis does not
   * answer; `orphan` is then given the lease the unanswered SET may still take (a paused Redis runs
   * it once it resumes), to be released once Redis answers.
   */
  async acquire(name: string, orphan: (lease: Lease) => void): Promise<Lease> {
    const lease = new Lease(this.redis, name, randomBytes(16).toString('hex'), this.leaseMs, this.logger);
    for (let wait = FIRST_POLL_MS; ; wait = Math.min(2 * wait, LAST_POLL_MS)) {
      let taken: string | null;
      try {
        taken = await this.redis.set(name, lease.token, 'PX', this.leaseMs, 'NX');
      } catch (error) {
        orphan(lease);
        throw unavailable(error, `cannot take the lock ${name}`, 'lock');
      }
      if (taken === 'OK') {
        lease.keepRenewed();
        return lease;
      }
      await sleep(wait);
    }
  }
}

/** A lock held: renewed until released; `lost` once a renewal found it gone (lapsed, and perhaps taken by another). */
export class Lease {
  lost = false;
  private renewer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: RedisConnection,
    readonly name: string,
    readonly token: string,
    private readonly leaseMs: number,
    private readonly logger: Logger,
  ) {}

  keepRenewed(): void {
    this.renewer = setInterval(() => void this.renew(), Math.floor(this.leaseMs / 3));
    this.renewer.unref();
  }

  /** The try ended: the lock lapses within the lease unless released before. */
  stopRenewing(): void {
    clearInterval(this.renewer);
  }

  /** Stops renewing and deletes the lock if it is still this holder's; throws a StoreUnavailableError when Redis does not answer. */
  async release(): Promise<void> {
    this.stopRenewing();
    try {
      await this.redis.eval(RELEASE, 1, this.name, this.token);
    } catch (error) {
      throw unavailable(error, `cannot release the lock ${this.name}`, 'lock');
    }
  }

  private async renew(): Promise<void> {
    try {
      const renewed = await this.redis.eval(RENEW, 1, this.name, this.token, String(this.leaseMs));
      if (renewed === 1 || this.lost) return;
      this.lost = true;
      this.stopRenewing();
      this.logger.error({ lock: this.name }, 'a message lock lapsed while its try was under way: the try stops');
    } catch (error) {
      // Redis down: the try's next record fails too; the lock lapses on its own if Redis stays away.
      countStoreError('lock');
      this.logger.warn({ err: error, lock: this.name }, 'cannot renew a message lock');
    }
  }
}
