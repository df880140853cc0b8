/**
 * `autolist serve` killed (SIGKILL, all its processes) at random points of a list's fan-out, started
 * again on the same state folder, the client sending the same message again until 250: no member is
 * ever missing, and at most AUTOLIST_RELAY_PARALLEL_BATCHES batches reach their members twice (the
 * transactions the relay had taken and whose 250 autolist had not read yet). A list of about 11,700
 * members here; `npm run bench:crash` does 50 kills on a list of 60,000.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mulberry32 } from '../fixtures/generate-directory.js';
import { CrashRuns } from './crash-run.js';

const PERSONS = 12_000;
const MAX_DELAY_MS = 9;
/** Three kills with batches of 100, four at once (the default), two with batches of 1000, one at a time. */
const RUNS = [
  { batchSize: 100, parallelBatches: 4 },
  { batchSize: 100, parallelBatches: 4 },
  { batchSize: 100, parallelBatches: 4 },
  { batchSize: 1000, parallelBatches: 1 },
  { batchSize: 1000, parallelBatches: 1 },
];

describe('autolist killed in the middle of a fan-out, then the message sent again', { timeout: 300_000 }, () => {
  let runs: CrashRuns;
  const seed = Date.now() % 1_000_000;
  const random = mulberry32(seed);
  before(async () => {
    runs = await CrashRuns.start({ persons: PERSONS });
  });
  after(() => runs.dispose());

  for (const [index, relay] of RUNS.entries()) {
    it(`kill ${index + 1}: batches of ${relay.batchSize}, ${relay.parallelBatches} at once: nobody missing, at most ${relay.parallelBatches} batch(es) twice`, async () => {
      const batches = runs.batches(relay.batchSize);
      const killAfter = 1 + Math.floor(random() * (batches - 2 * relay.parallelBatches));
      const delayMs = Math.floor(random() * (MAX_DELAY_MS + 1));
      const run = await runs.run({ ...relay, killAfter, delayMs });
      const where = `seed ${seed}: killed after ${killAfter} of ${batches} transactions + ${delayMs} ms (${run.acceptedAtKill} accepted then), ${run.tries} tries after the restart`;
      assert.ok(run.acceptedAtKill < batches, `the kill came after the fan-out: ${where}`);
      assert.equal(run.missing, 0, where);
      assert.ok(run.duplicated <= relay.parallelBatches * relay.batchSize, `${run.duplicated} copies beyond one: ${where}`);
    });
  }
});
