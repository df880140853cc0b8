import type { Logger } from '../../log.js';
import { CompactSet } from '../compact-set.js';
import type { DeliveryRecords } from '../deliveries.js';
import type { RedisConnection } from '../redis-connection.js';
import { whenReady } from '../redis-ready.js';
import { tryId } from '../try-id.js';
import { exec, RedisDeliveryTry } from './delivery-try.js';
import { deliveryKeys } from './keys.js';
import { type Lease, RedisLocks } from './lock.js';
import { unavailable } from './unavailable.js';
import { Unsettled } from './unsettled.js';

/** How often the writes Redis did not take are tried again. */
const SETTLE_INTERVAL_MS = 1000;

export interface RedisRecordsOptions {
  /** Put before every key (REDIS_PREFIX). */
  prefix: string;
  /** RELAY_DELIVERED_TTL, in milliseconds. */
  ttlMs: number;
  /** RETRY_WINDOW, in milliseconds. */
  windowMs: number;
  /** How long start() waits for the connection (REDIS_TIMEOUT_MS). */
  timeoutMs: number;
  /** How long a message's lock lasts unrenewed (tests). */
  leaseMs?: number;
}

/**
 * The delivery records in Redis, shared by every process of every replica using it: per message
 * key, the set of members its tries reached (expiring RELAY_DELIVERED_TTL after the last write),
 * the time it reached everyone (expiring alike; within RETRY_WINDOW a retry sends nothing), and its
 * lock. Redis not answering within REDIS_TIMEOUT_MS fails the try with a StoreUnavailableError
 * (4xx): nothing is sent that cannot be recorded.
 */
export class RedisDeliveryRecords implements DeliveryRecords {
  private readonly locks: RedisLocks;
  private readonly unsettled: Unsettled;
  /** The lock each message tried here runs under. */
  private readonly leases = new Map<string, Lease>();
  private settler: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: RedisRecordsOptions,
    private readonly logger: Logger,
  ) {
    this.locks = new RedisLocks(redis, logger, options.leaseMs);
    this.unsettled = new Unsettled(logger);
  }

  /**
   * Waits a while for the connection (commands fail before it is ready), and starts writing, once
   * Redis answers, what it did not take. Redis may stay down: mail is then deferred until it is back.
   */
  async start(): Promise<void> {
    await whenReady(this.redis, this.options.timeoutMs);
    this.settler = setInterval(() => void this.unsettled.settleAll(), SETTLE_INTERVAL_MS);
    this.settler.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.settler);
    const left = await this.unsettled.settleAll();
    if (left > 0) this.logger.error({ messages: left }, 'Redis did not take what tries of these messages reached: their next tries send those members the message again');
  }

  /** Runs `work` under the message's lock in Redis, once this process's writes for the message are made. */
  readonly exclusive = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    await this.settle(key);
    const lease = await this.locks.acquire(deliveryKeys(this.options.prefix, key).lock, (orphan) => this.unsettled.add(key, () => orphan.release()));
    this.leases.set(key, lease);
    try {
      return await work();
    } finally {
      this.leases.delete(key);
      lease.stopRenewing();
      // Held until what the try reached is written (or the lease runs out): a try elsewhere must not begin before.
      if (this.unsettled.has(key)) this.unsettled.add(key, () => lease.release());
      else {
        await lease.release().catch((error: unknown) => {
          this.logger.warn({ err: error, key }, 'cannot release a message lock: released once Redis answers, or when it lapses');
          this.unsettled.add(key, () => lease.release());
        });
      }
    }
  };

  async begin(key: string, _list: string, writeThrough: boolean): Promise<RedisDeliveryTry> {
    await this.settle(key);
    const keys = deliveryKeys(this.options.prefix, key);
    const now = Date.now();
    let completed: string | null;
    let members: string[];
    try {
      [completed, members] = (await exec(this.redis.multi().get(keys.completed).smembers(keys.reached))) as [string | null, string[]];
    } catch (error) {
      throw unavailable(error, `cannot read the delivery record of ${key}`, 'delivery_record');
    }
    const parts = { id: tryId(key), key, keys, redis: this.redis, ttlMs: this.options.ttlMs, writeThrough, lease: this.leases.get(key), unsettled: this.unsettled, logger: this.logger };
    const completedAt = completed === null ? undefined : Number(completed);
    if (completedAt !== undefined && now - completedAt <= this.options.windowMs) return new RedisDeliveryTry({ ...parts, reached: 'everyone', completedAt: new Date(completedAt) });
    return new RedisDeliveryTry({ ...parts, reached: CompactSet.of(members) });
  }

  private async settle(key: string): Promise<void> {
    try {
      await this.unsettled.settle(key);
    } catch (error) {
      throw unavailable(error, `cannot record what an earlier try of ${key} reached`, 'delivery_record');
    }
  }
}
