import type { RedisConnection } from '../redis-connection.js';
import { unavailable } from './unavailable.js';

/** Resolves when Redis answers PING (within REDIS_TIMEOUT_MS, the connection's command timeout); throws a StoreUnavailableError otherwise. */
export async function redisHealth(redis: RedisConnection): Promise<void> {
  try {
    await redis.ping();
  } catch (error) {
    throw unavailable(error, 'Redis does not answer', 'connection');
  }
}
