/**
 * The delivery record on disk (AUTOLIST_RELAY_STATE_DIR), what the contract of both stores
 * (delivery-records.contract.test.ts) does not see: its files, past their age removed, a line cut
 * short by a crash skipped, and the compact set it reads into.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../src/log.js';
import { CompactSet } from '../../src/store/compact-set.js';
import { DeliveryJournal } from '../../src/store/files/journal.js';
import { LIST, MEMBERS, pendingOf } from './backings.js';

const TTL_MS = 24 * 3_600_000;

describe('the delivery journal', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  /** A started journal on `dir` (a new folder unless given): as after a restart when the folder has records. */
  const journal = async (dir = mkdtempSync(join(tmpdir(), 'autolist-journal-'))): Promise<{ dir: string; journal: DeliveryJournal }> => {
    dirs.push(dir);
    const opened = new DeliveryJournal(dir, TTL_MS, TTL_MS, createLogger('silent'), (_key, work) => work());
    await opened.start();
    return { dir, journal: opened };
  };

  it('holds the outcome of a one-batch try until it ends, and writes it when the try does not reach everyone', async () => {
    const { dir, journal: j } = await journal();
    const attempt = await j.begin('k2', LIST, false);
    attempt.record(['a@example.org'], []);
    assert.deepEqual(readdirSync(join(dir, 'partial')), [], 'nothing written before the try ends');
    await attempt.abandon();
    assert.deepEqual(readdirSync(join(dir, 'partial')), ['k2.jsonl']);
    assert.deepEqual(await pendingOf(j, 'k2'), MEMBERS.slice(1));
    await j.stop();
  });

  it('keeps a message that reached everyone as a completed key, across a restart, and removes its partial record', async () => {
    const first = await journal();
    const failed = await first.journal.begin('k3', LIST, true);
    failed.record(['a@example.org'], []);
    await failed.abandon();
    const completed = await first.journal.begin('k3', LIST, true);
    completed.record(completed.pending(MEMBERS), []);
    await completed.complete();
    await first.journal.stop();
    assert.deepEqual(readdirSync(join(first.dir, 'partial')), []);

    const again = await journal(first.dir);
    assert.deepEqual(await pendingOf(again.journal, 'k3', [...MEMBERS, 'new@example.org']), []);
    await again.journal.stop();
  });

  it('removes records older than the TTL: a partial one by its last write, completed keys by their hour', async () => {
    const { dir, journal: j } = await journal();
    const partial = await j.begin('old', LIST, true);
    partial.record(['a@example.org'], []);
    await partial.abandon();
    const done = await j.begin('done', LIST, true);
    await done.complete();
    await j.stop();
    const longAgo = new Date(Date.now() - 2 * TTL_MS);
    utimesSync(join(dir, 'partial', 'old.jsonl'), longAgo, longAgo);

    const later = await journal(dir);
    assert.deepEqual(readdirSync(join(dir, 'partial')), [], 'removed at start');
    assert.deepEqual(await pendingOf(later.journal, 'old'), MEMBERS);
    assert.deepEqual(await pendingOf(later.journal, 'done'), []);
    assert.equal(await later.journal.sweep(Date.now() + TTL_MS + 2 * 3_600_000), 1, "the completed keys' hour is removed once past the TTL");
    assert.deepEqual(readdirSync(join(dir, 'completed')), []);
    assert.deepEqual(await pendingOf(later.journal, 'done'), MEMBERS);
    await later.journal.stop();
  });

  it('writes a batch line of a message of several batches before record() returns, the record created by prepare()', async () => {
    const { dir, journal: j } = await journal();
    const attempt = await j.begin('through', LIST, true);
    await attempt.prepare([MEMBERS.slice(0, 2), MEMBERS.slice(2)]);
    assert.deepEqual(readdirSync(join(dir, 'partial')), ['through.jsonl'], 'created before the first batch');
    attempt.record(['a@example.org', 'b@example.org'], []);
    const lines = readFileSync(join(dir, 'partial', 'through.jsonl'), 'utf8').split('\n');
    assert.deepEqual(JSON.parse(lines[0] ?? '').accepted, ['a@example.org', 'b@example.org']);
    assert.equal(lines[1], '');
    await attempt.abandon();
    await j.stop();
  });

  it('starts a new line after a line cut short, so that what the next try reached is read back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autolist-journal-'));
    mkdirSync(join(dir, 'partial'));
    appendFileSync(
      join(dir, 'partial', 'cut.jsonl'),
      `${JSON.stringify({ at: '2026-01-01T00:00:00Z', list: LIST, accepted: ['a@example.org'], bounced: [] })}\n{"at":"2026-01-01T00:00:01Z","list":"x","accepted":["b@exa`,
    );
    const { journal: j } = await journal(dir);
    const attempt = await j.begin('cut', LIST, true);
    await attempt.prepare([['c@example.org']]);
    attempt.record(['c@example.org'], []);
    await attempt.abandon();
    assert.deepEqual(await pendingOf(j, 'cut'), ['b@example.org', 'd@example.org']);
    await j.stop();
  });

  it('skips a line cut short when the process stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autolist-journal-'));
    mkdirSync(join(dir, 'partial'));
    appendFileSync(
      join(dir, 'partial', 'torn.jsonl'),
      `${JSON.stringify({ at: '2026-01-01T00:00:00Z', list: LIST, accepted: ['a@example.org'], bounced: [] })}\n{"at":"2026-01-01T00:00:01Z","list":"x","accepted":["b@exa`,
    );
    const { journal: j } = await journal(dir);
    assert.deepEqual(await pendingOf(j, 'torn'), MEMBERS.slice(1));
    await j.stop();
  });
});

describe('the compact set of reached members', () => {
  it('holds 100,000 addresses, finds every one of them (case ignored) and none of others', () => {
    const addresses = Array.from({ length: 100_000 }, (_, i) => `person.${i}@example.org`);
    const set = CompactSet.of(addresses);
    assert.equal(set.size, 100_000);
    assert.ok(addresses.every((a) => set.has(a.toUpperCase())));
    assert.ok(Array.from({ length: 10_000 }, (_, i) => `someone.${i}@example.org`).every((a) => !set.has(a)));
  });
});
