import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import type { Peers } from './peers.js';
import type { DeliveryRecords } from './deliveries.js';
import { DeliveryJournal } from './files/journal.js';
import { RedisDeliveryRecords } from './redis/deliveries.js';
import { connectRedis, type RedisConnection } from './redis-connection.js';
import { redisHealth } from './redis/health.js';
import { FileOptRecord, type OptRecord, RedisOptRecord } from './opt/index.js';

export type { DeliveryRecords, DeliveryTry } from './deliveries.js';
export { isStoreFailure, RelayStateError, RelayStateFullError } from './errors.js';
export { StoreUnavailableError } from './redis-connection.js';
export type { OptEntry, OptKind, OptRecord, OptWay, PendingRequest } from './opt/index.js';

/**
 * State shared by the processes of one machine (local files, the default) or by replicas on several
 * machines (Redis, REDIS_URL): what each message's tries reached, and the lock of each message.
 */
export interface Store {
  deliveries: DeliveryRecords;
  /** Who left or joined a list by choice (exclusions and additions), and the requests waiting for confirmation. */
  opt: OptRecord;
  /** The connection to Redis, for the rest of what replicas share there (bounces, rate counts, events); none with files. */
  redis?: RedisConnection;
  /** Resolves when the store answers (/readyz); throws a StoreUnavailableError otherwise, within REDIS_TIMEOUT_MS. */
  health(): Promise<void>;
  /** Closes the connections; the relay stops its deliveries first. */
  close(): Promise<void>;
}

/** Opens the store the configuration names; with files, the lock of a message is the supervisor's (`peers`). */
export async function openStore(config: Config, logger: Logger, peers: Peers): Promise<Store> {
  const { relay } = config;
  if (config.store.kind === 'files') {
    const deliveries = new DeliveryJournal(relay.stateDir, relay.deliveredTtlSeconds * 1000, relay.retryWindowSeconds * 1000, logger, (key, work) => peers.exclusive(key, work));
    const opt = new FileOptRecord(relay.stateDir, (key, work) => peers.exclusive(key, work));
    return { deliveries, opt, health: async () => {}, close: async () => {} };
  }
  const redis = connectRedis(config.store, logger, 'store');
  const { prefix, timeoutMs } = config.store;
  const deliveries = new RedisDeliveryRecords(redis, { prefix, ttlMs: relay.deliveredTtlSeconds * 1000, windowMs: relay.retryWindowSeconds * 1000, timeoutMs }, logger);
  return {
    deliveries,
    opt: new RedisOptRecord(redis, prefix),
    redis,
    health: () => redisHealth(redis),
    close: async () => redis.disconnect(),
  };
}
