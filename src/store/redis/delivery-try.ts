import type { Logger } from '../../log.js';
import { countStoreError } from '../../metrics/store-errors.js';
import type { DeliveryTry } from '../deliveries.js';
import { notReached, type Reached } from '../reached.js';
import type { RedisConnection } from '../redis-connection.js';
import { StoreUnavailableError } from '../redis-connection.js';
import type { deliveryKeys } from './keys.js';
import type { Lease } from './lock.js';
import type { Unsettled } from './unsettled.js';
import { unavailable } from './unavailable.js';

export interface RedisTryParts {
  id: string;
  key: string;
  keys: ReturnType<typeof deliveryKeys>;
  redis: RedisConnection;
  ttlMs: number;
  writeThrough: boolean;
  reached: Reached;
  completedAt?: Date;
  /** The lock this try runs under, when it runs under one. */
  lease: Lease | undefined;
  unsettled: Unsettled;
  logger: Logger;
}

/**
 * One try of a message recorded in Redis: each batch's members (lower-cased) added to the message's
 * set and its expiry pushed back, in one transaction awaited before the next batch and the client's
 * answer; the completed key set (with its time) and the set dropped in one transaction once
 * everyone was reached. A write Redis does not take is kept to be made once it answers (Unsettled).
 */
export class RedisDeliveryTry implements DeliveryTry {
  readonly id: string;
  /** Outcomes not written yet: all of them without writeThrough, else those Redis did not take. */
  private readonly held: string[] = [];

  constructor(private readonly parts: RedisTryParts) {
    this.id = parts.id;
  }

  get completedAt(): Date | undefined {
    return this.parts.completedAt;
  }

  pending(recipients: readonly string[]): readonly string[] {
    return notReached(this.parts.reached, recipients);
  }

  /** Redis says itself, at the first write, whether it can take the record. */
  async prepare(): Promise<void> {}

  record(accepted: readonly string[], bounced: readonly string[]): void | Promise<void> {
    const members = [...accepted, ...bounced].map((address) => address.toLowerCase());
    if (members.length === 0) return;
    if (!this.parts.writeThrough) {
      this.held.push(...members);
      return;
    }
    return this.write(members).then(
      () => {
        if (this.parts.lease?.lost) throw new StoreUnavailableError(`the lock of the message ${this.parts.key} lapsed: another try may have begun`);
      },
      (error: unknown) => {
        this.held.push(...members);
        throw unavailable(error, `cannot record the members a batch of ${this.parts.key} reached`, 'delivery_record');
      },
    );
  }

  async complete(): Promise<void> {
    if (this.parts.reached === 'everyone') return;
    const { redis, keys, ttlMs } = this.parts;
    try {
      await exec(redis.multi().set(keys.completed, String(Date.now()), 'PX', ttlMs).del(keys.reached));
    } catch (error) {
      this.keepHeld();
      throw unavailable(error, `cannot record the message ${this.parts.key} as delivered to everyone`, 'delivery_record');
    }
  }

  async abandon(): Promise<void> {
    if (this.held.length === 0) return;
    const members = this.held.splice(0);
    try {
      await this.write(members);
    } catch (error) {
      countStoreError('delivery_record');
      this.parts.logger.warn({ err: error, key: this.parts.key, members: members.length }, 'Redis cannot take the members this try reached: written once it answers');
      this.held.push(...members);
      this.keepHeld();
    }
  }

  /** Adds the members to the message's set and pushes its expiry back; throws what Redis answered. */
  private async write(members: readonly string[]): Promise<void> {
    const { redis, keys, ttlMs } = this.parts;
    await exec(
      redis
        .multi()
        .sadd(keys.reached, ...members)
        .pexpire(keys.reached, ttlMs),
    );
  }

  /** The outcomes not written, to be written once Redis answers, before any other try of the message here. */
  private keepHeld(): void {
    if (this.held.length === 0) return;
    const members = this.held.splice(0);
    this.parts.unsettled.add(this.parts.key, () => this.write(members));
  }
}

/** Runs a transaction; throws its first failed command's error. */
export async function exec(transaction: ReturnType<RedisConnection['multi']>): Promise<unknown[]> {
  const results = await transaction.exec();
  if (results === null) throw new Error('the transaction was aborted');
  const failed = results.find(([error]) => error !== null);
  if (failed !== undefined) throw failed[0] as Error;
  return results.map(([, value]) => value);
}
