import { join } from 'node:path';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../log.js';
import type { Peers } from '../peers.js';
import type { RedisConnection } from '../redis-connection.js';
import { FileHeldStore } from './files.js';
import { RedisHeldStore } from './redis.js';
import type { HeldStore } from './types.js';

export { HeldFullError, HeldNotFoundError, HeldStoreError, HeldWriteError } from './errors.js';
export type { DecideOutcome, HeldDecision, HeldMessage, HeldState, HeldStore, NewHeldMessage } from './types.js';
export { FileHeldStore, RedisHeldStore };

/** The held messages where the store keeps its state: the relay's state folder, or Redis (REDIS_URL). */
export function openHeldStore(config: Config, redis: RedisConnection | undefined, peers: Peers, logger: Logger): HeldStore {
  if (config.store.kind === 'redis' && redis !== undefined) return new RedisHeldStore(redis, config.store.prefix, logger);
  return new FileHeldStore(join(config.relay.stateDir, 'held'), (key, work) => peers.exclusive(key, work));
}
