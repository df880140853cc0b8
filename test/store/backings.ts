/**
 * The two places delivery records are kept, for the tests that hold both to one contract: local
 * files in a temporary folder (instances sharing it take the supervisor's lock table, as autolist
 * serve's SMTP workers do) and a throwaway redis-server (instances sharing it take its locks).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/log.js';
import type { DeliveryRecords } from '../../src/store/index.js';
import { DeliveryJournal } from '../../src/store/files/journal.js';
import { RedisDeliveryRecords } from '../../src/store/redis/deliveries.js';
import { connectRedis, type RedisConnection } from '../../src/store/redis-connection.js';
import { KeyLocks } from '../../src/workers/key-locks.js';
import { RedisServer } from '../harness/redis.js';

export interface RecordsOptions {
  ttlMs: number;
  windowMs: number;
  /** Redis: how long a lock lasts unrenewed. */
  leaseMs?: number;
  /** Redis: how long a command may wait (REDIS_TIMEOUT_MS). */
  timeoutMs?: number;
}

export interface Backing {
  readonly name: string;
  /** A started instance on the shared folder or Redis: another process, or this one restarted. */
  open(options: RecordsOptions): Promise<DeliveryRecords>;
  dispose(): Promise<void>;
}

const logger = createLogger('silent');

export const LIST = 'liste.chefs-2a@lists.example.org';
export const MEMBERS = ['a@example.org', 'b@example.org', 'c@example.org', 'd@example.org'];

/** Who of `members` a new try of the message would send to (the try then ends, having sent nothing). */
export async function pendingOf(records: DeliveryRecords, key: string, members = MEMBERS): Promise<readonly string[]> {
  const attempt = await records.begin(key, LIST, true);
  const pending = attempt.pending(members);
  await attempt.abandon();
  return pending;
}

/** A function working under a key, alone among the instances of one lock table. */
export type Exclusive = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/**
 * The supervisor's table of keys (KeyLocks) as the workers of one serve share it: each call gives
 * one more instance (a worker) its own `exclusive`, waiting for the others on the same key.
 */
export function lockTable(): () => Exclusive {
  const locks = new KeyLocks<object>();
  return () => {
    const holder = {};
    return async (key, work) => {
      await new Promise<void>((grant) => locks.acquire(key, holder, grant));
      try {
        return await work();
      } finally {
        locks.release(key, holder);
      }
    };
  };
}

/** A temporary folder; instances wait in the supervisor's table of keys (KeyLocks), each a holder. */
export function filesBacking(): Backing {
  const dir = mkdtempSync(join(tmpdir(), 'autolist-records-'));
  const holder = lockTable();
  const opened: DeliveryRecords[] = [];
  return {
    name: 'files',
    async open({ ttlMs, windowMs }) {
      const records = new DeliveryJournal(dir, ttlMs, windowMs, logger, holder());
      await records.start();
      opened.push(records);
      return records;
    },
    async dispose() {
      for (const records of opened) await records.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A connection to `redis`, once it is ready (commands fail before: no offline queue). */
export async function connectTo(redis: RedisServer, timeoutMs = 2000): Promise<RedisConnection> {
  const connection = connectRedis({ kind: 'redis', url: redis.url, prefix: '', timeoutMs }, logger, 'test');
  await new Promise((ready) => connection.once('ready', ready));
  return connection;
}

/** A redis-server; each backing its own prefix, each instance its own connection. */
export async function redisBacking(server?: RedisServer): Promise<Backing & { redis: RedisServer; prefix: string; connections: RedisConnection[] }> {
  const redis = server ?? (await RedisServer.start());
  const prefix = `test-${Math.random().toString(36).slice(2)}:`;
  const connections: RedisConnection[] = [];
  const opened: DeliveryRecords[] = [];
  return {
    name: 'redis',
    redis,
    prefix,
    connections,
    async open({ ttlMs, windowMs, leaseMs, timeoutMs }) {
      const connection = await connectTo(redis, timeoutMs);
      connections.push(connection);
      const records = new RedisDeliveryRecords(connection, { prefix, ttlMs, windowMs, timeoutMs: timeoutMs ?? 2000, ...(leaseMs === undefined ? {} : { leaseMs }) }, logger);
      await records.start();
      opened.push(records);
      return records;
    },
    async dispose() {
      for (const records of opened) await records.stop().catch(() => undefined);
      for (const connection of connections) connection.disconnect();
      if (server === undefined) await redis.dispose();
    },
  };
}
