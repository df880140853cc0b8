/**
 * One contract for the delivery records, held by both places they are kept (files, Redis): what a
 * try reached is read back by another instance (another process, or this one restarted), a message
 * that reached everyone goes to nobody within the retry window and to everyone past it, a partial
 * record counts until the TTL after its last write, and one try of a message runs at a time across
 * instances. The waits below let a window or a TTL pass; none measures a speed.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { type Backing, filesBacking, LIST, MEMBERS, pendingOf, redisBacking, type RecordsOptions } from './backings.js';

const DAY: RecordsOptions = { ttlMs: 24 * 3_600_000, windowMs: 3_600_000 };

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

for (const make of [filesBacking, () => redisBacking()]) {
  describe(`delivery records (${make === filesBacking ? 'files' : 'redis'})`, () => {
    let backing: Backing;
    let keys = 0;
    /** A key of its own for each test: the backing is shared. */
    const newKey = (): string => `k${++keys}${Date.now().toString(36)}`;
    before(async () => {
      backing = await make();
    });
    after(() => backing.dispose());

    it('reads back in another instance the members a try reached, refused for good included, case ignored', async () => {
      const [first, second] = [await backing.open(DAY), await backing.open(DAY)];
      const key = newKey();
      const attempt = await first.begin(key, LIST, true);
      assert.deepEqual(attempt.pending(MEMBERS), MEMBERS);
      await attempt.prepare([MEMBERS.slice(0, 2), MEMBERS.slice(2)]);
      await attempt.record(['A@example.org'], ['b@EXAMPLE.org']);
      await attempt.abandon();
      assert.deepEqual(await pendingOf(second, key), ['c@example.org', 'd@example.org']);
    });

    it('records a batch of a message of several batches when record() returns or resolves, before the try ends', async () => {
      const [first, second] = [await backing.open(DAY), await backing.open(DAY)];
      const key = newKey();
      const attempt = await first.begin(key, LIST, true);
      await attempt.prepare([MEMBERS.slice(0, 2), MEMBERS.slice(2)]);
      await attempt.record(['a@example.org', 'b@example.org'], []);
      assert.deepEqual(await pendingOf(second, key), ['c@example.org', 'd@example.org'], 'read while the try is still under way');
      await attempt.abandon();
    });

    it('holds the outcome of a one-batch try until it ends, then records it when the try did not reach everyone', async () => {
      const [first, second] = [await backing.open(DAY), await backing.open(DAY)];
      const key = newKey();
      const attempt = await first.begin(key, LIST, false);
      await attempt.prepare([MEMBERS]);
      await attempt.record(['a@example.org'], []);
      assert.deepEqual(await pendingOf(second, key), MEMBERS, 'nothing recorded before the try ends');
      await attempt.abandon();
      assert.deepEqual(await pendingOf(second, key), MEMBERS.slice(1));
    });

    it('sends a message that reached everyone to nobody within the retry window (saying when), and to everyone past it', async () => {
      const options = { ...DAY, windowMs: 1_000 };
      const [first, second] = [await backing.open(options), await backing.open(options)];
      const key = newKey();
      const failed = await first.begin(key, LIST, true);
      await failed.record(['a@example.org'], []);
      await failed.abandon();
      const whole = await first.begin(key, LIST, true);
      await whole.record(whole.pending(MEMBERS), []);
      const before = Date.now();
      await whole.complete();

      const retry = await second.begin(key, LIST, true);
      assert.deepEqual(retry.pending([...MEMBERS, 'new@example.org']), [], 'within the window: nobody, a newcomer neither');
      assert.ok(retry.completedAt !== undefined && retry.completedAt.getTime() >= before - 1_000, String(retry.completedAt));
      await retry.complete();

      await sleep(1_200);
      const later = await second.begin(key, LIST, true);
      assert.equal(later.completedAt, undefined);
      assert.deepEqual(later.pending(MEMBERS), MEMBERS, 'past the window: a new message (the same daily report), sent to everyone');
      await later.abandon();
    });

    it('counts a partial record until the TTL after its last write, then for nothing', async () => {
      const options = { ttlMs: 1_500, windowMs: 1_000 };
      const [first, second] = [await backing.open(options), await backing.open(options)];
      const key = newKey();
      const attempt = await first.begin(key, LIST, true);
      await attempt.record(['a@example.org'], []);
      await attempt.abandon();
      assert.deepEqual(await pendingOf(second, key), MEMBERS.slice(1));
      await sleep(2_000);
      assert.deepEqual(await pendingOf(second, key), MEMBERS, 'past the TTL');
    });

    it('runs one try of a message at a time across instances: the second begins once the first ended, and reads what it reached', async () => {
      const [first, second] = [await backing.open(DAY), await backing.open(DAY)];
      const key = newKey();
      const events: string[] = [];
      const firstRunning = gate();
      const firstMayEnd = gate();
      const firstTry = first.exclusive(key, async () => {
        events.push('first begins');
        firstRunning.open();
        const attempt = await first.begin(key, LIST, true);
        await attempt.record(['a@example.org'], []);
        await firstMayEnd.opened;
        await attempt.abandon();
        events.push('first ends');
      });
      await firstRunning.opened;
      const secondTry = second.exclusive(key, async () => {
        events.push('second begins');
        return pendingOf(second, key);
      });
      // Time for the second to ask for the lock while the first holds it (a slower machine only makes the check weaker, never wrong).
      await sleep(300);
      assert.deepEqual(events, ['first begins']);
      firstMayEnd.open();
      await firstTry;
      assert.deepEqual(await secondTry, MEMBERS.slice(1));
      assert.deepEqual(events, ['first begins', 'first ends', 'second begins']);
    });

    it("does not hold up another message's try", async () => {
      const [first, second] = [await backing.open(DAY), await backing.open(DAY)];
      const held = gate();
      const holding = first.exclusive(newKey(), () => held.opened);
      assert.equal(await second.exclusive(newKey(), async () => 'ran'), 'ran');
      held.open();
      await holding;
    });
  });
}
