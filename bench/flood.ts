/**
 * `autolist serve` (HTTP and SMTP fronts, the embedded demo directory) under a flood of 10,000
 * hostile recipients (very long local parts, control characters, runs of dots and dashes, unknown
 * domains, near misses) over 50 SMTP connections at once, 25 a session, pipelined: each session
 * should be cut at the hard error limit (AUTOLIST_SMTP_HARD_ERROR_LIMIT, 20). Meanwhile /healthz is
 * asked one request after another; its latency is compared with a baseline measured in the same
 * run without the flood. Target: worst and p99 /healthz latency under 100 ms throughout. The
 * flooding clients run in a process of their own (this file with --client PORT), so that their work
 * does not delay the samples. Prints figures; asserts nothing. Everything runs over loopback and is
 * bounded in count and time.
 *   npm run bench:flood
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flood, type FloodSession, HealthSampler, quantile } from '../test/harness/flood.js';
import { ServeProcess } from '../test/harness/serve.js';
import { mb, ms, verdict } from './directory-fixture.js';

const RECIPIENTS = 10_000;
const CONNECTIONS = 50;
const PER_SESSION = 25;
const BASELINE_MS = 3_000;
const TARGET_MS = 100;
/** The whole run is bounded: past this, the server is killed and the bench fails. */
const DEADLINE_MS = 180_000;

if (process.argv[2] === '--client') {
  // The flooding clients: their sessions and the flood's duration as JSON on standard output (the process ends once it is written).
  const start = performance.now();
  const sessions = await flood(Number(process.argv[3]), { total: RECIPIENTS, connections: CONNECTIONS, perSession: PER_SESSION });
  process.stdout.write(JSON.stringify({ sessions, elapsedMs: performance.now() - start }));
} else {
  await measure();
}

/** The flood, from another process. */
async function floodFromClientProcess(smtpPort: number): Promise<{ sessions: FloodSession[]; elapsedMs: number }> {
  const client = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--client', String(smtpPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  client.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise((resolve) => client.once('close', resolve));
  if (code !== 0) throw new Error(`the flooding clients exited with ${String(code)}`);
  return JSON.parse(output) as { sessions: FloodSession[]; elapsedMs: number };
}

async function measure(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'autolist-bench-flood-'));
  const server = ServeProcess.inFolder(dir);
  const deadline = setTimeout(() => {
    console.error(`bench:flood did not finish within ${DEADLINE_MS / 1000} s`);
    server.child.kill('SIGKILL');
    process.exit(1);
  }, DEADLINE_MS);

  try {
    const fronts = await server.fronts();
    const origin = String(fronts.http);
    const smtpPort = Number(new URL(String(fronts.smtp)).port);
    const metric = async (series: string): Promise<number> => {
      const line = (await (await fetch(`${origin}/metrics`)).text()).split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
    };

    const report = (label: string, samples: Array<{ status: number; ms: number }>): { worst: number; p99: number } => {
      const latencies = samples.map((s) => s.ms);
      const worst = Math.max(...latencies);
      const p99 = quantile(latencies, 0.99);
      const failed = samples.filter((s) => s.status !== 200).length;
      console.log(
        `/healthz ${label.padEnd(16)} ${String(samples.length).padStart(6)} answers   p50 ${ms(quantile(latencies, 0.5))}   p99 ${ms(p99)}   worst ${ms(worst)}${failed > 0 ? `   ${failed} NOT 200` : ''}`,
      );
      return { worst, p99 };
    };

    const idle = new HealthSampler(origin);
    await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
    const baseline = report('without flood', await idle.stop());

    const rssBefore = await metric('process_resident_memory_bytes');
    const busy = new HealthSampler(origin);
    const { sessions, elapsedMs: elapsed } = await floodFromClientProcess(smtpPort);
    const during = report('during flood', await busy.stop());
    const rssAfter = await metric('process_resident_memory_bytes');

    const cut = sessions.filter((s) => s.cut).length;
    const answered = sessions.reduce((n, s) => n + Math.max(0, s.replies.length - 3), 0);
    console.log(
      `flood: ${RECIPIENTS.toLocaleString('en')} hostile recipients sent in ${sessions.length} sessions over ${CONNECTIONS} connections in ${ms(elapsed)}; ${answered.toLocaleString('en')} refused before the cut (${Math.round((answered / elapsed) * 1000).toLocaleString('en')}/s)`,
    );
    console.log(`421 disconnects: ${cut} of ${sessions.length} sessions (server's count: ${await metric('autolist_smtp_hard_error_disconnects_total')})`);
    console.log(`server resident memory: ${mb(rssBefore)} before the flood, ${mb(rssAfter)} after; process alive: ${server.child.exitCode === null}`);
    console.log(
      `target: /healthz worst and p99 under ${TARGET_MS} ms during the flood: ${verdict(during.worst < TARGET_MS && during.p99 < TARGET_MS)} (worst ${(during.worst / baseline.worst).toFixed(1)}x, p99 ${(during.p99 / baseline.p99).toFixed(1)}x the baseline)`,
    );
  } finally {
    clearTimeout(deadline);
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
