/**
 * Duplicates after a crash, measured: `autolist serve` (the SMTP front alone) relays one message to a
 * list of 60,000 members (a generated directory, embedded) and is killed with SIGKILL, all its
 * processes at once, at a random point of the fan-out: after a random number of transactions the
 * relay accepted, then 0 to 9 ms more (0: before the relay's 250 for that transaction is sent). It is
 * started again on the same state folder and the client sends the same message again until it is
 * answered 250. Per run: the members the relay never got (must be 0), the copies beyond one, and how
 * far autolist was behind the relay (each line written before the kill, less the time the relay
 * recorded that batch, just before its 250: the median and the slowest tenth).
 * Series: 20 kills with batches of 100 and 20 with batches of 1000 at the default
 * AUTOLIST_RELAY_PARALLEL_BATCHES (4), then 5 and 5 with one batch at a time. Exits 1 when a member is
 * missing or a run repeats more than its bound: AUTOLIST_RELAY_PARALLEL_BATCHES batches.
 *   npm run bench:crash [-- --seed N]
 */
import { parseArgs } from 'node:util';
import { mulberry32 } from '../test/fixtures/generate-directory.js';
import { type CrashRun, CrashRuns } from '../test/smtp/crash-run.js';

/** 61,267 generated persons (seed 7) have 60,000 addresses. */
const PERSONS = 61_267;
const SERIES = [
  { batchSize: 100, parallelBatches: 4, kills: 20 },
  { batchSize: 1000, parallelBatches: 4, kills: 20 },
  { batchSize: 100, parallelBatches: 1, kills: 5 },
  { batchSize: 1000, parallelBatches: 1, kills: 5 },
];
const MAX_DELAY_MS = 9;

const { values } = parseArgs({ options: { seed: { type: 'string' } } });
const seed = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
const random = mulberry32(seed);
const between = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
const percentile = (values: readonly number[], rank: number): number => [...values].sort((a, b) => a - b)[Math.floor(rank * (values.length - 1))] ?? 0;

const runs = await CrashRuns.start({ persons: PERSONS });
console.log(`list of ${runs.members.length.toLocaleString('en')} members; kill points from seed ${seed} (npm run bench:crash -- --seed ${seed} draws them again)`);
const columns = ['run', 'batch', 'parallel', 'batches', 'kill after', '+ms', 'accepted', 'tries', 'missing', 'duplicated', 'in batches', 'behind p50', 'p90 ms'];
console.log(columns.map((c) => c.padStart(10)).join(' '));

const results: CrashRun[] = [];
let failed = false;
try {
  for (const series of SERIES) {
    const batches = runs.batches(series.batchSize);
    for (let kill = 0; kill < series.kills; kill++) {
      // Early enough that the fan-out is still under way when the kill comes.
      const killAfter = between(1, batches - 2 * series.parallelBatches);
      const run = await runs.run({ ...series, killAfter, delayMs: between(0, MAX_DELAY_MS) });
      results.push(run);
      const bad = run.missing > 0 || run.duplicated > run.parallelBatches * run.batchSize;
      failed ||= bad;
      const cells = [
        results.length,
        run.batchSize,
        run.parallelBatches,
        batches,
        run.killAfter,
        run.delayMs,
        run.acceptedAtKill,
        run.tries,
        run.missing,
        run.duplicated,
        (run.duplicated / run.batchSize).toFixed(2),
        percentile(run.lagsMs, 0.5),
        percentile(run.lagsMs, 0.9),
      ];
      console.log(`${cells.map((c) => String(c).padStart(10)).join(' ')}${bad ? '  <- beyond the bound' : ''}`);
    }
  }
} finally {
  await runs.dispose();
}

console.log('\nsummary (duplicated in batches: copies beyond one / batch size)');
for (const series of SERIES) {
  const mine = results.filter((r) => r.batchSize === series.batchSize && r.parallelBatches === series.parallelBatches);
  const inBatches = mine.map((r) => r.duplicated / r.batchSize);
  const missing = mine.reduce((sum, r) => sum + r.missing, 0);
  const withCopies = mine.filter((r) => r.duplicated > 0).length;
  const lags = mine.flatMap((r) => r.lagsMs);
  const label = `batches of ${series.batchSize}, ${series.parallelBatches} at once, ${mine.length} kills`;
  const copies = `duplicated max ${Math.max(...inBatches).toFixed(2)} batch(es), mean ${(inBatches.reduce((a, b) => a + b, 0) / mine.length).toFixed(2)} (bound ${series.parallelBatches})`;
  console.log(`  ${label.padEnd(36)} missing ${missing}; runs with copies ${withCopies}; ${copies}; behind the relay p50 ${percentile(lags, 0.5)} ms, p90 ${percentile(lags, 0.9)} ms`);
}
console.log(failed ? 'FAILED: a member missing, or more copies than the bound' : 'every run: no member missing, copies within the bound');
process.exit(failed ? 1 : 0);
