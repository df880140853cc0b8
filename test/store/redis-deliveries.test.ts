/**
 * What only the Redis records do: every key under the prefix and expiring, a lock whose holder died
 * lapses, and a write Redis did not take (stopped mid-try) is made once it is back, before this
 * process tries the message again, without a restart of autolist.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { StoreUnavailableError } from '../../src/store/index.js';
import type { RedisConnection } from '../../src/store/redis-connection.js';
import { LIST, MEMBERS, pendingOf, redisBacking } from './backings.js';

const DAY = { ttlMs: 24 * 3_600_000, windowMs: 3_600_000 };

/** Resolves once the connection is ready again (it reconnects by itself). */
async function ready(connection: RedisConnection): Promise<void> {
  if (connection.status !== 'ready') await new Promise((resolve) => connection.once('ready', resolve));
}

describe('delivery records in Redis', () => {
  let backing: Awaited<ReturnType<typeof redisBacking>>;
  before(async () => {
    backing = await redisBacking();
  });
  after(() => backing.dispose());

  it('keeps every key under the prefix, each expiring within RELAY_DELIVERED_TTL', async () => {
    const records = await backing.open({ ttlMs: 60_000, windowMs: 60_000 });
    const partial = await records.begin('partial', LIST, true);
    await partial.record(['a@example.org'], []);
    await partial.abandon();
    const whole = await records.begin('whole', LIST, true);
    await whole.record(MEMBERS, []);
    await whole.complete();
    const [inspect] = backing.connections as [RedisConnection];
    // The server is this file's own: every key is these tries'.
    const keys = await inspect.keys('*');
    assert.deepEqual(keys.sort(), [`${backing.prefix}delivery:{partial}:reached`, `${backing.prefix}delivery:{whole}:completed`]);
    for (const key of keys) {
      const ttl = await inspect.pttl(key);
      assert.ok(ttl > 0 && ttl <= 60_000, `${key}: ${ttl} ms`);
    }
  });

  it('lets another instance try a message once the lock of a holder that died lapsed', async () => {
    const options = { ...DAY, leaseMs: 1_000 };
    const holder = await backing.open(options);
    const other = await backing.open(options);
    const holderConnection = backing.connections.at(-2) as RedisConnection;
    let held: () => void = () => undefined;
    const holding = holder.exclusive('died', async () => {
      const attempt = await holder.begin('died', LIST, true);
      await attempt.record(['a@example.org'], []);
      held();
      // Never ends: the process is gone.
      await new Promise(() => undefined);
    });
    holding.catch(() => undefined);
    await new Promise<void>((resolve) => (held = resolve));
    // Gone: its connection with it, so its lock is renewed no more.
    holderConnection.disconnect();
    assert.deepEqual(await other.exclusive('died', () => pendingOf(other, 'died')), MEMBERS.slice(1));
  });

  it('stops a try whose lock lapsed (taken away meanwhile): its next record fails, written all the same', async () => {
    const records = await backing.open({ ...DAY, leaseMs: 900 });
    const inspect = backing.connections.at(-1) as RedisConnection;
    // Enough batches, 200 ms apart, for a renewal to come (every 300 ms) even on a loaded machine.
    const members = Array.from({ length: 50 }, (_, index) => `m${index}@example.org`);
    const failure = await records.exclusive('lapsed', async () => {
      const attempt = await records.begin('lapsed', LIST, true);
      await inspect.del(`${backing.prefix}delivery:{lapsed}:lock`);
      // Each batch recorded until a renewal finds the lock gone.
      for (const member of members) {
        try {
          await attempt.record([member], []);
        } catch (error) {
          await attempt.abandon();
          return { error, member };
        }
        await sleep(200);
      }
      return undefined;
    });
    assert.ok(failure !== undefined, 'the lapse was never noticed');
    assert.ok(failure.error instanceof StoreUnavailableError && /lapsed/.test(failure.error.message), String(failure.error));
    const reached = members.slice(0, members.indexOf(failure.member) + 1);
    assert.deepEqual(
      await pendingOf(records, 'lapsed', members),
      members.filter((m) => !reached.includes(m)),
    );
  });

  it('defers while Redis is stopped, then makes the writes it did not take before trying the message again', async () => {
    const records = await backing.open({ ...DAY, timeoutMs: 500 });
    const connection = backing.connections.at(-1) as RedisConnection;
    const attempt = await records.begin('stopped', LIST, true);
    await attempt.record(['a@example.org'], []);
    await backing.redis.stop();
    await assert.rejects(Promise.resolve(attempt.record(['b@example.org'], [])), StoreUnavailableError, 'the batch Redis did not take');
    await attempt.abandon();
    await assert.rejects(records.begin('stopped', LIST, true), StoreUnavailableError, 'nothing is sent unrecorded');

    await backing.redis.restart();
    await ready(connection);
    const other = await backing.open(DAY);
    assert.deepEqual(await pendingOf(records, 'stopped'), MEMBERS.slice(2), "b's batch, written before the next try here");
    assert.deepEqual(await pendingOf(other, 'stopped'), MEMBERS.slice(2), 'and read by another instance');
  });
});
