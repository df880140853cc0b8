/**
 * One contract for the held messages (moderation), held by both places they are kept (files under
 * the relay's state folder, Redis): a message held by one instance is read back whole by another;
 * the first decision wins, however many instances decide at once; what a sweep must look at
 * (expired, or decided and not settled) is due; one sweep runs at a time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/log.js';
import { FileHeldStore, HeldNotFoundError, type HeldStore, type NewHeldMessage, RedisHeldStore } from '../../src/store/held/index.js';
import type { RedisConnection } from '../../src/store/redis-connection.js';
import { RedisServer } from '../harness/redis.js';
import { connectTo, lockTable } from './backings.js';

interface HeldBacking {
  open(): Promise<HeldStore>;
  dispose(): Promise<void>;
}

function filesHeld(): HeldBacking {
  const dir = mkdtempSync(join(tmpdir(), 'autolist-held-'));
  const holder = lockTable();
  return {
    async open() {
      return new FileHeldStore(join(dir, 'held'), holder());
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function redisHeld(): Promise<HeldBacking> {
  const redis = await RedisServer.start();
  const prefix = `test-${Math.random().toString(36).slice(2)}:`;
  const connections: RedisConnection[] = [];
  return {
    async open() {
      const connection = await connectTo(redis);
      connections.push(connection);
      return new RedisHeldStore(connection, prefix, createLogger('silent'));
    },
    async dispose() {
      for (const connection of connections) connection.disconnect();
      await redis.dispose();
    },
  };
}

const LIST = 'revue-56@lists.example.org';
const HOUR = 3_600_000;

function newMessage(list = LIST, expiresInMs = HOUR): NewHeldMessage {
  const now = Date.now();
  // Bytes that are not UTF-8 must come back as they were.
  const raw = Buffer.concat([Buffer.from('Subject: revue\r\nFrom: a@example.org\r\n\r\nbody '), Buffer.from([0xff, 0xfe, 0x00, 0x80]), Buffer.from('\r\n')]);
  return { list, sender: 'author@example.org', raw, heldAt: new Date(now), expiresAt: new Date(now + expiresInMs), moderators: ['m1@example.org', 'm2@example.org'] };
}

for (const [name, make] of [
  ['files', async () => filesHeld()],
  ['redis', redisHeld],
] as const) {
  describe(`held messages (${name})`, () => {
    let backing: HeldBacking;
    let first: HeldStore;
    let second: HeldStore;
    before(async () => {
      backing = await make();
      [first, second] = [await backing.open(), await backing.open()];
    });
    after(() => backing.dispose());

    it('reads back in another instance a held message whole: raw bytes, envelope, times, moderators', async () => {
      const message = newMessage();
      const held = await first.hold(message);
      const read = await second.get(held.id);
      assert.ok(read);
      assert.deepEqual(read.raw, message.raw);
      assert.equal(read.list, LIST);
      assert.equal(read.sender, 'author@example.org');
      assert.equal(read.heldAt.getTime(), message.heldAt.getTime());
      assert.equal(read.expiresAt.getTime(), message.expiresAt.getTime());
      assert.deepEqual(read.moderators, message.moderators);
      assert.equal(read.state, 'held');
      assert.equal(read.settled, false);
      assert.equal(await second.get('AAAAAAAAAAAAAAAA'), undefined);
    });

    it('lists the messages still waiting, of one list or all', async () => {
      const other = await first.hold(newMessage('revue-29@lists.example.org'));
      const mine = await first.hold(newMessage());
      await first.decide(mine.id, { state: 'rejected', by: 'm1@example.org', at: new Date() });
      const waiting29 = await second.waiting('revue-29@lists.example.org');
      assert.deepEqual(
        waiting29.map((m) => m.id),
        [other.id],
      );
      const all = (await second.waiting()).map((m) => m.id);
      assert.ok(all.includes(other.id) && !all.includes(mine.id));
    });

    it('lets the first decision win, of many taken at once in two instances; the others see it', async () => {
      const held = await first.hold(newMessage());
      const deciders = Array.from({ length: 8 }, (_, i) => ({ store: i % 2 === 0 ? first : second, by: `m${i}@example.org`, state: i % 3 === 0 ? 'rejected' : 'approved' }) as const);
      const outcomes = await Promise.all(deciders.map((d) => d.store.decide(held.id, { state: d.state, by: d.by, at: new Date(), reason: 'why' })));
      const winners = outcomes.filter((o) => o.won);
      assert.equal(winners.length, 1);
      const winner = deciders[outcomes.indexOf(winners[0] as (typeof outcomes)[number])];
      for (const outcome of outcomes) {
        assert.equal(outcome.message.decision?.by, winner?.by);
        assert.equal(outcome.message.state, winner?.state);
      }
      const read = await second.get(held.id);
      assert.equal(read?.decision?.by, winner?.by);
      assert.equal(read?.decision?.reason, 'why');
    });

    it('refuses a decision on a message that is not held', async () => {
      await assert.rejects(first.decide('AAAAAAAAAAAAAAAA', { state: 'approved', by: 'admin', at: new Date() }), HeldNotFoundError);
    });

    it('makes due the expired and the decided not settled; forgets a removed message', async () => {
      const expired = await first.hold(newMessage(LIST, -1));
      const decided = await first.hold(newMessage());
      const waiting = await first.hold(newMessage());
      await first.decide(decided.id, { state: 'approved', by: 'm1@example.org', at: new Date() });
      let due = await second.due(new Date());
      assert.ok(due.includes(expired.id) && due.includes(decided.id) && !due.includes(waiting.id), JSON.stringify(due));
      await second.settle(decided.id);
      due = await first.due(new Date());
      assert.ok(!due.includes(decided.id));
      assert.equal((await first.get(decided.id))?.settled, true);
      assert.ok((await first.due(new Date(Date.now() + 2 * HOUR))).includes(decided.id), 'settled and past its expiry: due to be removed');
      await second.remove(expired.id);
      assert.equal(await first.get(expired.id), undefined);
      assert.ok(!(await first.due(new Date())).includes(expired.id));
    });

    it('runs one work at a time under a name across instances', async () => {
      let running = 0;
      let most = 0;
      const work = async (): Promise<void> => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
      };
      await Promise.all([first.exclusive('sweep', work), second.exclusive('sweep', work), first.exclusive('sweep', work)]);
      assert.equal(most, 1);
    });
  });
}
