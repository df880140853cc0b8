/**
 * A rate counted in Redis (a real redis-server): once for every process that shares it, apart for
 * another prefix, and locally meanwhile when Redis does not answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KeyedRate } from '../../src/limits/index.js';
import { createLogger } from '../../src/log.js';
import { storeErrors } from '../../src/metrics/store-errors.js';
import { connectRedis, type RedisConnection } from '../../src/store/redis-connection.js';
import { whenReady } from '../../src/store/redis-ready.js';
import { RedisServer } from '../harness/redis.js';

describe('a rate counted in Redis', { timeout: 60_000 }, () => {
  let server: RedisServer;
  const connections: RedisConnection[] = [];
  /** A connection of its own, as each process (each worker of each replica) has. */
  const connection = async (timeoutMs = 2000): Promise<RedisConnection> => {
    const redis = connectRedis({ kind: 'redis', url: server.url, prefix: 'unused:', timeoutMs }, createLogger('silent'), 'rate-test');
    connections.push(redis);
    assert.ok(await whenReady(redis, 10_000), 'connected');
    return redis;
  };
  before(async () => {
    server = await RedisServer.start();
  });
  after(async () => {
    for (const redis of connections) redis.disconnect();
    await server?.dispose();
  });

  it('counts the events of every process together', async () => {
    const rates = [
      new KeyedRate('smtp_messages_per_sender', 5, 100, { redis: await connection(), prefix: 'one:' }),
      new KeyedRate('smtp_messages_per_sender', 5, 100, { redis: await connection(), prefix: 'one:' }),
    ];
    const verdicts = [];
    for (let i = 0; i < 10; i++) verdicts.push((await rates[i % 2]!.take('sender@example.org')).allowed);
    assert.deepEqual(verdicts, [true, true, true, true, true, false, false, false, false, false]);
    assert.equal(rates[0]!.refused + rates[1]!.refused, 5);
    const refused = await rates[0]!.take('sender@example.org');
    assert.ok(!refused.allowed && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60, JSON.stringify(refused));
    assert.equal((await rates[1]!.take('other@example.org')).allowed, true, 'each key has its own count');
  });

  it('counts apart under another prefix (another installation on the same Redis) and for another rate', async () => {
    const redis = await connection();
    const mine = new KeyedRate('http_requests', 1, 100, { redis, prefix: 'two:' });
    const theirs = new KeyedRate('http_requests', 1, 100, { redis, prefix: 'three:' });
    const another = new KeyedRate('smtp_messages_per_ip', 1, 100, { redis, prefix: 'two:' });
    for (const rate of [mine, theirs, another]) assert.equal((await rate.take('127.0.0.1')).allowed, true, rate.name);
    assert.equal((await mine.take('127.0.0.1')).allowed, false);
  });

  it('counts in this process alone while Redis is down, and in Redis again once it is back', async () => {
    const redis = await connection();
    const rate = new KeyedRate('http_requests', 3, 100, { redis, prefix: 'down:' });
    assert.equal((await rate.take('token read')).allowed, true);
    const failures = async () => (await storeErrors.get()).values.find((v) => v.labels.operation === 'rate_limit')?.value ?? 0;
    const failedBefore = await failures();
    await server.stop();
    try {
      const verdicts = [];
      for (let i = 0; i < 4; i++) verdicts.push((await rate.take('token read')).allowed);
      // Counted afresh locally: the event Redis counted before is not known here.
      assert.deepEqual(verdicts, [true, true, true, false]);
      assert.equal((await failures()) - failedBefore, 4, 'each counted in autolist_store_errors_total{operation="rate_limit"}');
    } finally {
      await server.restart();
    }
    assert.ok(await whenReady(redis, 20_000), 'reconnected by itself');
    const other = new KeyedRate('http_requests', 3, 100, { redis: await connection(), prefix: 'down:' });
    assert.deepEqual(
      [(await rate.take('token read')).allowed, (await other.take('token read')).allowed, (await other.take('token read')).allowed],
      [true, true, false],
      'the count kept in Redis (1 before the outage) goes on',
    );
  });
});
