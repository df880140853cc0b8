/**
 * The redis+sentinel:// and redis+cluster:// forms of REDIS_URL against real servers: a try's
 * batches recorded and its completion read back by a second instance, as with one server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster, Redis } from 'ioredis';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/log.js';
import { RedisDeliveryRecords } from '../../src/store/redis/deliveries.js';
import { connectRedis, type RedisConnection } from '../../src/store/redis-connection.js';
import { startCluster, startSentinel } from '../harness/redis-topologies.js';
import { LIST, MEMBERS } from './backings.js';

const logger = createLogger('silent');
const OPTIONS = { prefix: 'autolist:', ttlMs: 3_600_000, windowMs: 3_600_000, timeoutMs: 2000 };

/** A connection opened as AUTOLIST_REDIS_URL says, the URL checked by the configuration first. */
function connect(url: string, name: string): RedisConnection {
  const { store } = loadConfig({ AUTOLIST_REDIS_URL: url, AUTOLIST_REDIS_PREFIX: OPTIONS.prefix, AUTOLIST_REDIS_TIMEOUT_MS: String(OPTIONS.timeoutMs) });
  assert.ok(store.kind === 'redis', 'a Redis store');
  return connectRedis(store, logger, name);
}

/** Instances of the records on `url`, each on its own connection, stopped and closed by close(). */
function instances(url: string): { open(): Promise<{ records: RedisDeliveryRecords; connection: RedisConnection }>; close(): Promise<void> } {
  const opened: { records: RedisDeliveryRecords; connection: RedisConnection }[] = [];
  return {
    async open() {
      const connection = connect(url, 'test');
      const records = new RedisDeliveryRecords(connection, OPTIONS, logger);
      opened.push({ records, connection });
      await records.start();
      return { records, connection };
    },
    async close() {
      for (const { records, connection } of opened) {
        await records.stop();
        connection.disconnect();
      }
    },
  };
}

/** One instance's try of `key` records two batches (one abandoned try before it) and completes; a second instance reads it back. */
async function recordAndReadBack(url: string, key: string): Promise<void> {
  const store = instances(url);
  try {
    const { records: first } = await store.open();
    const { records: second } = await store.open();
    await first.exclusive(key, async () => {
      const partial = await first.begin(key, LIST, true);
      assert.equal(partial.completedAt, undefined);
      await partial.record([MEMBERS[0] as string], []);
      await partial.abandon();
    });
    await second.exclusive(key, async () => {
      const attempt = await second.begin(key, LIST, true);
      assert.deepEqual(attempt.pending(MEMBERS), MEMBERS.slice(1));
      await attempt.record([MEMBERS[1] as string], [MEMBERS[2] as string]);
      await attempt.record([MEMBERS[3] as string], []);
      await attempt.complete();
    });
    const now = Date.now();
    const again = await second.exclusive(key, () => first.begin(key, LIST, true));
    assert.ok(again.completedAt instanceof Date && again.completedAt.getTime() <= now, `completedAt: ${again.completedAt}`);
    assert.deepEqual(again.pending(MEMBERS), []);
    await again.abandon();
  } finally {
    await store.close();
  }
}

describe('Redis topologies of REDIS_URL', () => {
  describe('redis+sentinel://HOST:PORT/MASTER', () => {
    let sentinel: Awaited<ReturnType<typeof startSentinel>>;
    before(async () => {
      sentinel = await startSentinel('autolist-master');
    });
    after(() => sentinel?.dispose());

    it('records a try on the master the Sentinel names, read back by a second instance', async () => {
      const inspect = connect(sentinel.url, 'inspect');
      try {
        await new Promise((ready) => inspect.once('ready', ready));
        assert.ok(inspect instanceof Redis);
        const [, port] = (await inspect.config('GET', 'port')) as [string, string];
        const asked = new Redis({ host: '127.0.0.1', port: Number(sentinel.sentinel.address.split(':')[1]), lazyConnect: true });
        const named = (await asked.call('SENTINEL', 'get-master-addr-by-name', 'autolist-master').finally(() => asked.disconnect())) as [string, string];
        assert.deepEqual(named, sentinel.master.address.split(':'));
        assert.equal(port, named[1]);
        assert.match(await inspect.info('replication'), /role:master/);
      } finally {
        inspect.disconnect();
      }
      await recordAndReadBack(sentinel.url, 'sentinel-message');
      const master = new Redis(sentinel.master.url);
      try {
        assert.notEqual(await master.get(`${OPTIONS.prefix}delivery:{sentinel-message}:completed`), null);
      } finally {
        master.disconnect();
      }
    });
  });

  describe('redis+cluster://HOST:PORT,HOST:PORT,HOST:PORT', () => {
    let cluster: Awaited<ReturnType<typeof startCluster>>;
    before(async () => {
      cluster = await startCluster();
    });
    after(() => cluster?.dispose());

    it('records tries of messages whose keys fall on different nodes, read back by a second instance', async () => {
      // Keys picked to hash to slots of different nodes (three masters split the 16384 slots in thirds).
      const messages = ['cluster-message-a', 'cluster-message-b', 'cluster-message-c', 'cluster-message-d', 'cluster-message-e', 'cluster-message-f'];
      const connection = connect(cluster.url, 'inspect');
      try {
        await new Promise((ready) => connection.once('ready', ready));
        assert.ok(connection instanceof Cluster);
        assert.equal(connection.nodes('master').length, 3);
        for (const key of messages) await recordAndReadBack(cluster.url, key);
        const holders = new Set<string>();
        for (const key of messages) {
          const name = `${OPTIONS.prefix}delivery:{${key}}:completed`;
          const slot = (await connection.call('CLUSTER', 'KEYSLOT', name)) as number;
          for (const node of connection.nodes('master')) if (((await node.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))) as number) > 0) holders.add(`${node.options.port}`);
        }
        assert.ok(holders.size >= 2, `the completed keys are on ${holders.size} node(s)`);
      } finally {
        connection.disconnect();
      }
    });
  });
});
