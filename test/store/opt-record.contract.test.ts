/**
 * One contract for the exclusions and additions, held by both places they are kept (files under the
 * state folder, Redis): what one instance records another reads; an address has one choice a list;
 * a pending request is confirmed once, by its own nonce only, and not after it expired.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileOptRecord, type OptEntry, type OptRecord, RedisOptRecord } from '../../src/store/opt/index.js';
import type { RedisConnection } from '../../src/store/redis-connection.js';
import { RedisServer } from '../harness/redis.js';
import { connectTo, lockTable } from './backings.js';

interface OptBacking {
  name: string;
  /** Another instance over the same folder or Redis. */
  open(): Promise<OptRecord>;
  dispose(): Promise<void>;
}

function files(): OptBacking {
  const dir = mkdtempSync(join(tmpdir(), 'autolist-opt-'));
  const holder = lockTable();
  return {
    name: 'files',
    async open() {
      return new FileOptRecord(dir, holder());
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function redis(): Promise<OptBacking> {
  const server = await RedisServer.start();
  const connections: RedisConnection[] = [];
  return {
    name: 'redis',
    async open() {
      const connection = await connectTo(server);
      connections.push(connection);
      return new RedisOptRecord(connection, 'test:');
    },
    async dispose() {
      for (const connection of connections) connection.disconnect();
      await server.dispose();
    },
  };
}

const LIST = 'equipe-2a@lists.example.org';
const entry = (address: string, kind: OptEntry['kind'], list = LIST): OptEntry => ({ kind, list, address, at: new Date().toISOString(), how: 'mail', rule: 'equipe/equipe.charter:20' });

for (const make of [files, redis]) {
  describe(`exclusions and additions (${make === files ? 'files' : 'redis'})`, () => {
    let backing: OptBacking;
    let first: OptRecord;
    let second: OptRecord;
    before(async () => {
      backing = await make();
      [first, second] = [await backing.open(), await backing.open()];
    });
    after(() => backing.dispose());

    it('reads in one instance what another recorded, per list, an address once', async () => {
      await first.put(entry('a@example.org', 'exclusion'));
      await first.put(entry('b@example.org', 'addition'));
      await first.put(entry('a@example.org', 'addition', 'other@lists.example.org'));
      await second.put(entry('a@example.org', 'addition'));
      const entries = (await first.entries(LIST)).sort((x, y) => x.address.localeCompare(y.address));
      assert.deepEqual(
        entries.map((e) => [e.address, e.kind]),
        [
          ['a@example.org', 'addition'],
          ['b@example.org', 'addition'],
        ],
      );
      assert.equal(entries[0]?.rule, 'equipe/equipe.charter:20');
      assert.deepEqual(
        (await second.entries('other@lists.example.org')).map((e) => e.address),
        ['a@example.org'],
      );
    });

    it('removes an address’s choice, saying what it was, and nothing the second time', async () => {
      await first.put(entry('c@example.org', 'exclusion'));
      assert.equal((await second.remove(LIST, 'c@example.org'))?.kind, 'exclusion');
      assert.equal(await first.remove(LIST, 'c@example.org'), undefined);
      assert.ok(!(await first.entries(LIST)).some((e) => e.address === 'c@example.org'));
    });

    it('confirms a pending request once, with its own nonce only; a newer request replaces it; an expired one is not confirmed', async () => {
      const expiresAt = Date.now() + 60_000;
      await first.propose({ list: LIST, address: 'd@example.org', action: 'subscribe', nonce: 'n1', expiresAt });
      assert.equal(await second.consume(LIST, 'd@example.org', 'subscribe', 'wrong'), false);
      assert.equal(await second.consume(LIST, 'd@example.org', 'unsubscribe', 'n1'), false, 'another action');
      const both = await Promise.all([first.consume(LIST, 'd@example.org', 'subscribe', 'n1'), second.consume(LIST, 'd@example.org', 'subscribe', 'n1')]);
      assert.deepEqual(both.sort(), [false, true], 'one of two replies at once');
      await first.propose({ list: LIST, address: 'e@example.org', action: 'unsubscribe', nonce: 'old', expiresAt });
      await second.propose({ list: LIST, address: 'e@example.org', action: 'unsubscribe', nonce: 'new', expiresAt });
      assert.equal(await first.consume(LIST, 'e@example.org', 'unsubscribe', 'old'), false);
      assert.equal(await first.consume(LIST, 'e@example.org', 'unsubscribe', 'new'), true);
      await first.propose({ list: LIST, address: 'f@example.org', action: 'subscribe', nonce: 'n', expiresAt: Date.now() - 1 });
      assert.equal(await second.consume(LIST, 'f@example.org', 'subscribe', 'n'), false);
    });
  });
}
