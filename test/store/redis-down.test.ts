/**
 * Redis paused (SIGSTOP: connections open, nothing answers) or stopped in the middle of a list's
 * fan-out, over a real SMTP session with `autolist serve`: the client gets 451 4.3.0, no batch
 * starts once a batch's outcome could not be recorded, /readyz says the store is down; once Redis
 * is back (no restart of autolist) the client's retry completes and every member got exactly one
 * copy: the outcomes Redis did not take are written before the message is tried again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServeProcess } from '../harness/serve.js';
import { copiesOf, LIST, SENDER, sendUntilAccepted } from '../smtp/crash-run.js';
import { message, swaks } from '../smtp/helpers.js';
import { frontOf, SharedFanOut } from './shared-fan-out.js';

const PERSONS = 1_000;
const BATCH_SIZE = 50;
const PARALLEL_BATCHES = 2;
/** The transaction the relay records, just before its 250, when Redis goes away. */
const FAULT_AT = 5;

describe('Redis down in the middle of a fan-out', { timeout: 300_000 }, () => {
  let fanOut: SharedFanOut;
  let server: ServeProcess;
  let smtpPort: number;
  let readyz: string;
  let runs = 0;
  before(async () => {
    fanOut = await SharedFanOut.start({ persons: PERSONS });
    server = fanOut.serve('autolist', 'smtp,http', {
      AUTOLIST_RELAY_BATCH_SIZE: String(BATCH_SIZE),
      AUTOLIST_RELAY_PARALLEL_BATCHES: String(PARALLEL_BATCHES),
      AUTOLIST_REDIS_TIMEOUT_MS: '500',
    });
    smtpPort = (await frontOf(server, 'smtp')).port;
    readyz = `${(await frontOf(server, 'http')).url}/readyz`;
  });
  after(() => fanOut.dispose());

  /**
   * Sends a new message, with Redis made to fail (`fault`) when the relay takes the FAULT_AT-th
   * transaction, the 250 of that one and of any later held until the fault is in place (a stop is
   * not instant: Redis answers until it has shut down); `back` brings it back. The transactions are bounded: those under way
   * then, and none after.
   */
  async function faultyRun(fault: () => Promise<void>, back: () => Promise<void>): Promise<{ taken: number; tries: number }> {
    fanOut.relay.reset();
    const data = message({ From: SENDER, To: LIST, Subject: `redis down ${++runs}`, 'Message-ID': `<redis-down-${runs}-${Date.now()}@example.org>` }, 'Le message.\r\n');
    let faulted: Promise<void> | undefined;
    // From the FAULT_AT-th on, every transaction's 250 waits for the fault: no batch gets ahead of it.
    fanOut.relay.onTransaction = (taken) => {
      if (taken < FAULT_AT) return;
      faulted ??= fault();
      return faulted;
    };
    const first = await swaks(smtpPort, { from: SENDER, to: LIST, data });
    assert.match(first.lastReply, /^451 4\.3\.0 le message ne peut pas etre consigne pour le moment/, first.transcript);
    fanOut.relay.onTransaction = undefined;
    await faulted;
    const taken = fanOut.relay.received.length;
    assert.ok(taken <= FAULT_AT + PARALLEL_BATCHES, `${taken} transactions: no batch starts once an outcome cannot be recorded`);

    const down = await fetch(readyz);
    assert.equal(down.status, 503);
    assert.equal(((await down.json()) as { code: string }).code, 'STORE_UNAVAILABLE');

    await back();
    const tries = await sendUntilAccepted(async () => smtpPort, data);
    const copies = copiesOf(fanOut.relay, fanOut.members);
    assert.deepEqual(copies, { missing: 0, duplicated: 0 }, `${taken} transactions before the 451, ${tries} tries after Redis came back`);
    assert.equal((await fetch(readyz)).status, 200);
    return { taken, tries };
  }

  it('paused: 451 4.3.0, then once it runs again every member exactly once', async (t) => {
    const { taken, tries } = await faultyRun(
      async () => fanOut.redis.pause(),
      async () => fanOut.redis.resume(),
    );
    t.diagnostic(`${taken} of ${Math.ceil(fanOut.members.length / BATCH_SIZE)} transactions before the 451; ${tries} tries after`);
  });

  it('stopped: 451 4.3.0, then once it is started again (its append-only file kept) every member exactly once', async (t) => {
    const { taken, tries } = await faultyRun(
      () => fanOut.redis.stop(),
      () => fanOut.redis.restart(),
    );
    t.diagnostic(`${taken} of ${Math.ceil(fanOut.members.length / BATCH_SIZE)} transactions before the 451; ${tries} tries after`);
  });
});
