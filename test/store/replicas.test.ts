/**
 * Two replicas: two `autolist serve` processes (A and B, folders of their own) with the same
 * AUTOLIST_REDIS_URL, one slapd, one relay counting copies per member. A message to a list of
 * about 2,900 members in batches of 25 (about 120 transactions, 4 at once) is handed over by A
 * up to about half its fan-out, then the client sends it again to B, which sends only what A's
 * record lacks:
 *  - the relay refusing further transactions (451 to MAIL FROM) halfway: A answers 4xx having
 *    recorded all it sent and released the message's lock; B completes it, every member exactly once;
 *  - A killed (SIGKILL, all its processes) as the relay takes a transaction (a third, half, two
 *    thirds of the way): B waits for A's lock to lapse (LOCK_LEASE_MS), then completes it; every
 *    member at least once, and at most AUTOLIST_RELAY_PARALLEL_BATCHES batches twice (the
 *    transactions the relay had taken and whose outcome A had not recorded yet). The copies are
 *    reported in the test's diagnostics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServeProcess } from '../harness/serve.js';
import { copiesOf, LIST, SENDER, sendUntilAccepted } from '../smtp/crash-run.js';
import { message, swaks } from '../smtp/helpers.js';
import { frontOf, SharedFanOut } from './shared-fan-out.js';

const PERSONS = 3_000;
const BATCH_SIZE = 25;
const PARALLEL_BATCHES = 4;

describe('two replicas sharing one Redis', { timeout: 600_000 }, () => {
  let fanOut: SharedFanOut;
  let runs = 0;
  const env = { AUTOLIST_RELAY_BATCH_SIZE: String(BATCH_SIZE), AUTOLIST_RELAY_PARALLEL_BATCHES: String(PARALLEL_BATCHES) };
  before(async () => {
    fanOut = await SharedFanOut.start({ persons: PERSONS, slapd: true });
  });
  after(() => fanOut.dispose());

  const batches = (): number => Math.ceil(fanOut.members.length / BATCH_SIZE);
  const newMessage = (): string => message({ From: SENDER, To: LIST, Subject: `replicas ${++runs}`, 'Message-ID': `<replicas-${runs}-${Date.now()}@example.org>` }, 'Le message.\r\n');
  const smtpPort = async (server: ServeProcess): Promise<number> => (await frontOf(server, 'smtp')).port;

  it('the relay stops taking mail halfway through A: the client retries on B, every member exactly once', async (t) => {
    const a = fanOut.serve(`a${runs}`, 'smtp', env);
    const b = fanOut.serve(`b${runs}`, 'smtp', env);
    fanOut.relay.reset();
    const half = Math.floor(batches() / 2);
    fanOut.relay.transactionsLeft = half;
    const data = newMessage();
    const onA = await swaks(await smtpPort(a), { from: SENDER, to: LIST, data });
    assert.match(onA.lastReply, /^451 /, onA.transcript);
    const takenFromA = fanOut.relay.received.length;
    assert.equal(takenFromA, half);

    fanOut.relay.transactionsLeft = undefined;
    const tries = await sendUntilAccepted(() => smtpPort(b), data);
    assert.deepEqual(copiesOf(fanOut.relay, fanOut.members), { missing: 0, duplicated: 0 });
    t.diagnostic(`${fanOut.members.length} members, ${batches()} batches: ${takenFromA} taken from A, the rest from B in ${tries} try(ies); no copy twice`);
    await fanOut.kill(a);
    await fanOut.kill(b);
  });

  for (const share of [1 / 3, 1 / 2, 2 / 3]) {
    it(`A killed as the relay takes the transaction ${share.toFixed(2)} of the way: the client retries on B, nobody missing, at most ${PARALLEL_BATCHES} batches twice`, async (t) => {
      const a = fanOut.serve(`a${runs}`, 'smtp', env);
      const b = fanOut.serve(`b${runs}`, 'smtp', env);
      fanOut.relay.reset();
      const killAt = Math.floor(batches() * share);
      fanOut.relay.onTransaction = (taken) => {
        // Here, before the relay's 250: A never hears of this transaction.
        if (taken === killAt) a.crash();
      };
      const data = newMessage();
      const portOfA = await smtpPort(a);
      await smtpPort(b);
      const onA = await swaks(portOfA, { from: SENDER, to: LIST, data });
      await a.exited;
      fanOut.relay.onTransaction = undefined;
      const takenFromA = fanOut.relay.received.length;
      assert.ok(!onA.lastReply.startsWith('250 '), `A answered before it was killed: ${onA.lastReply}`);
      assert.ok(takenFromA >= killAt && takenFromA < batches(), `${takenFromA} of ${batches()} transactions when A was killed`);

      const tries = await sendUntilAccepted(() => smtpPort(b), data);
      const { missing, duplicated } = copiesOf(fanOut.relay, fanOut.members);
      const where = `${fanOut.members.length} members, ${batches()} batches of ${BATCH_SIZE}, ${PARALLEL_BATCHES} at once: A killed at transaction ${killAt} (${takenFromA} taken from A), B's ${tries} try(ies): ${duplicated} copies beyond one (${(duplicated / BATCH_SIZE).toFixed(2)} batches)`;
      t.diagnostic(where);
      assert.equal(missing, 0, where);
      assert.ok(duplicated <= PARALLEL_BATCHES * BATCH_SIZE, where);
      await fanOut.kill(b);
    });
  }
});
