import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { StoreConfig } from '../config/config.js';
import { AutolistError } from '../errors.js';
import type { Logger } from '../log.js';

/** Redis could not do what was asked (down, unreachable, too slow, an error reply): what needed it is refused for now. */
export class StoreUnavailableError extends AutolistError {
  /** Subclasses say what could not be done (BOUNCES_STORE_UNAVAILABLE). */
  readonly code: string = 'STORE_UNAVAILABLE';
  readonly temporary = true;
}

/** A connection to one Redis server, to the master that Sentinels name, or to a Cluster. */
export type RedisConnection = Redis | Cluster;

type RedisStore = Extract<StoreConfig, { kind: 'redis' }>;

/** Longest wait between two reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 2000;

/**
 * Opens a connection as REDIS_URL says. Commands fail at once while Redis is unreachable (no offline
 * queue) or after REDIS_TIMEOUT_MS without an answer, so that mail waiting on Redis gets a 4xx rather
 * than hanging; the connection keeps trying to come back meanwhile (recovery without restart).
 * Key prefixes are the callers' (REDIS_PREFIX): Cluster and pub/sub channels do not take ioredis's keyPrefix alike.
 */
export function connectRedis(store: RedisStore, logger: Logger, name: string): RedisConnection {
  const options: RedisOptions = {
    connectionName: `autolist-${name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: store.timeoutMs,
    connectTimeout: store.timeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
  };
  const many = /^redis\+(sentinel|cluster):\/\/(?:([^@/]*)@)?([^/]+)\/?(.*)$/i.exec(store.url);
  let connection: RedisConnection;
  if (many === null) {
    connection = new Redis(store.url, options);
  } else {
    const [, kind, userInfo, hostList, master] = many as unknown as [string, string, string | undefined, string, string];
    const nodes = hostList.split(',').map((hostPort) => {
      const [host, port] = hostPort.split(':');
      return { host: host as string, port: port === undefined || port === '' ? undefined : Number(port) };
    });
    const [username, password] = (userInfo ?? '').split(':').map(decodeURIComponent);
    const auth = { ...(username ? { username } : {}), ...(password ? { password } : {}) };
    connection =
      kind.toLowerCase() === 'sentinel'
        ? new Redis({ ...options, ...auth, sentinels: nodes.map((n) => ({ host: n.host, port: n.port ?? 26379 })), name: master })
        : new Cluster(
            nodes.map((n) => ({ host: n.host, port: n.port ?? 6379 })),
            { redisOptions: { ...options, ...auth }, enableOfflineQueue: false },
          );
  }
  let down = false;
  connection.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.error({ err: error, redis: name }, 'Redis unreachable: mail that needs it is deferred (4xx) until it is back');
  });
  connection.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ redis: name }, 'Redis reachable again');
  });
  return connection;
}
