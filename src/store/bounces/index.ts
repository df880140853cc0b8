import type { Config } from '../../config/config.js';
import type { Logger } from '../../log.js';
import { connectRedis, type RedisConnection, StoreUnavailableError } from '../redis-connection.js';
import { whenReady } from '../redis-ready.js';
import { FileBounceRecord, readTally } from './file-record.js';
import type { BounceRecord } from './record.js';
import { loadBounces, RedisBounceRecord } from './redis-record.js';
import type { BounceEvent, BounceTally } from './tally.js';

export { BouncesFullError, BouncesStoreError, BouncesWriteError } from './errors.js';
export type { BounceRecord, NewBounce } from './record.js';
export type { BounceEvent, BounceQuery, BouncedAddress } from './tally.js';

export interface BounceRecordOptions {
  /** The store's connection when the configuration names Redis. */
  redis: RedisConnection | undefined;
  /** Tells the other workers of `autolist serve` of a bounce they cannot read from the store. */
  tell: (bounce: BounceEvent) => void;
  /** Compacts the bounces file on opening: only where no other process writes to it meanwhile. */
  compact: boolean;
}

/**
 * The bounces record the configuration names: in Redis (REDIS_URL), shared by every replica; else
 * the bounces file (BOUNCES_FILE), whose every bounce the other workers are told of.
 */
export async function openBounceRecord(config: Pick<Config, 'smtp' | 'store'>, logger: Logger, options: BounceRecordOptions): Promise<BounceRecord> {
  if (config.store.kind === 'redis' && options.redis !== undefined) {
    return RedisBounceRecord.open(options.redis, logger, { prefix: config.store.prefix, timeoutMs: config.store.timeoutMs, onUnstored: options.tell });
  }
  return FileBounceRecord.open(config.smtp.bouncesFile, logger, { compact: options.compact, onRecorded: options.tell });
}

/** Every bounce recorded, read once (`autolist bounces`); a StoreUnavailableError when Redis does not answer. */
export async function readBounces(config: Pick<Config, 'smtp' | 'store'>, logger: Logger): Promise<BounceTally> {
  const { store } = config;
  if (store.kind === 'files') return (await readTally(config.smtp.bouncesFile)).tally;
  const redis = connectRedis(store, logger, 'bounces');
  try {
    if (!(await whenReady(redis, store.timeoutMs))) throw new StoreUnavailableError(`Redis did not answer within ${store.timeoutMs} ms`);
    return (await loadBounces(redis, store.prefix)).tally;
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    throw new StoreUnavailableError(`the bounces cannot be read from Redis: ${(error as Error).message}`, { cause: error });
  } finally {
    redis.disconnect();
  }
}
