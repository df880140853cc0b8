import type { RedisConnection } from './redis-connection.js';

/**
 * Resolves true once the connection is ready (at once if it is), false after `timeoutMs` or when it
 * ends: commands sent before it is ready fail (no offline queue), so what must read at start waits here.
 */
export function whenReady(connection: RedisConnection, timeoutMs: number): Promise<boolean> {
  if (connection.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (ready: boolean): void => {
      clearTimeout(timer);
      connection.off('ready', onReady);
      connection.off('end', onEnd);
      resolve(ready);
    };
    const onReady = (): void => settle(true);
    const onEnd = (): void => settle(false);
    const timer = setTimeout(() => settle(false), timeoutMs);
    connection.on('ready', onReady);
    connection.on('end', onEnd);
  });
}
