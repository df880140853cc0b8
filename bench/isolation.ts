/**
 * Do the fronts starve each other? `autolist serve` as an operator runs it (a worker per core for
 * each front), its directory a slapd loaded with a 60,000-person fixture, its relay Postfix's
 * smtp-sink. In one run:
 *  1. SMTP alone: SMTP_SESSIONS sessions kept open (as an MTA's connection cache) send small
 *     messages to a list for PHASE_SECONDS: messages/s and RCPT TO latency; meanwhile a probe asks
 *     /healthz, as a liveness probe would, the HTTP workers being below the mail path;
 *  2. the same while autocannon saturates the HTTP front: STREAM_CONNECTIONS connections
 *     downloading the 60,000 members of liste.personnels-national as text, RIGHTS_CONNECTIONS
 *     asking rights decisions. Targets: at least 0.7x the idle rate, RCPT p99 under 500 ms;
 *  3. the HTTP front alone, autocannon on the rights and resolve routes, against a bare fastify
 *     route served the same way (a process per HTTP worker, node:cluster, at the HTTP workers'
 *     CPU priority), measured in the same run: requests/s with HTTP_CONNECTIONS connections, then p99
 *     with LATENCY_CONNECTIONS. Targets: at least 0.5x the baseline's requests/s, p99 under 10 ms.
 * Every load generator runs in a process of its own (this file with --smtp, --cannon or --bare), so
 * that the measuring does not slow what it measures; the saturating HTTP ones (autocannon) in Linux's
 * idle class, as they stand for clients on other machines. Prints figures and verdicts; asserts nothing.
 * Loopback only, bounded in time.
 *   npm run bench:isolation
 */
import { type ChildProcess, spawn } from 'node:child_process';
import cluster from 'node:cluster';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import fastify from 'fastify';
import { loadConfig } from '../src/config/config.js';
import { lowerPriority } from '../src/workers/cpu-priority.js';
import { quantile } from '../test/harness/flood.js';
import { answers, freePort } from '../test/harness/ports.js';
import { ServeProcess } from '../test/harness/serve.js';
import { greeted, type RawClient } from '../test/harness/smtp-client.js';
import { SmtpSink } from '../test/smtp/smtp-sink.js';
import { fixtureFile, ms, startSlapd, verdict } from './directory-fixture.js';
import { transaction } from './smtp-transaction.js';

const PERSONS = 60_000;
const PHASE_SECONDS = 15;
const SMTP_SESSIONS = 4;
const STREAM_CONNECTIONS = 10;
const RIGHTS_CONNECTIONS = 40;
const HTTP_CONNECTIONS = 100;
const HTTP_SECONDS = 10;
/**
 * Latency is measured with this many connections, each asking again as soon as it is answered: the
 * latency of a busy client pool. With 100 connections on two cores, queueing alone makes p99 several
 * times a request's cost, the bare route's too; autocannon's pacing (overallRate) sends bursts that
 * gave even the bare route a p99 of 10 ms.
 */
const LATENCY_CONNECTIONS = 10;
/** How often /healthz is asked while SMTP runs alone. */
const PROBE_EVERY_MS = 100;
const SENDER = 'chef.bretagne@example.org';
const LIST = 'liste.chefs-56@lists.example.org';
const EVERYONE = 'liste.personnels-national@lists.example.org';
/** The whole run is bounded: past this, everything is killed and the bench fails. */
const DEADLINE_MS = 600_000;
/** The HTTP workers' CPU priority (AUTOLIST_HTTP_NICENESS, as autolist reads it), given to the baseline's processes too. */
const HTTP_PRIORITY = loadConfig().workers.httpNiceness;

interface SmtpFigures {
  messages: number;
  perSecond: number;
  rcptP50: number;
  rcptP99: number;
  refused: number;
}

interface CannonFigures {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  bytesPerSecond: number;
  /** The CPU time the load generator itself used. */
  cpuSeconds: number;
}

const [mode, ...args] = process.argv.slice(2);
if (mode === '--smtp') await smtpClient(Number(args[0]), Number(args[1]));
else if (mode === '--cannon') await cannon(args[0]!, Number(args[1]), Number(args[2]), args[3] === 'text');
else if (mode === '--bare') await bare(Number(args[0]), Number(args[1]));
else await measure();

/** SMTP_SESSIONS sessions sending for `seconds`: the figures as JSON on standard output. */
async function smtpClient(port: number, seconds: number): Promise<void> {
  const rcpt: number[] = [];
  let messages = 0;
  let refused = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SMTP_SESSIONS }, async (_, session) => {
      const client: RawClient = await greeted(port);
      await client.ask('EHLO bench.example.org');
      for (let n = 0; performance.now() < until; n++) {
        const { reply, rcptMs } = await transaction(client, SENDER, LIST, `<isolation-${process.pid}-${session}-${n}@bench.example.org>`);
        if (rcptMs !== undefined) rcpt.push(rcptMs);
        if (reply?.startsWith('250')) messages++;
        else refused++;
        if (reply === undefined) throw new Error('the SMTP front closed a session');
      }
      await client.quit();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const figures: SmtpFigures = { messages, perSecond: messages / elapsed, rcptP50: quantile(rcpt, 0.5), rcptP99: quantile(rcpt, 0.99), refused };
  process.stdout.write(JSON.stringify(figures));
}

/** autocannon on one URL for `seconds`: the figures as JSON on standard output. */
async function cannon(url: string, connections: number, seconds: number, text: boolean): Promise<void> {
  const result = await autocannon({ url, connections, duration: seconds, ...(text ? { headers: { accept: 'text/plain' } } : {}) });
  const figures: CannonFigures = {
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    bytesPerSecond: result.throughput.average,
    cpuSeconds: cpuSeconds(),
  };
  process.stdout.write(JSON.stringify(figures));
}

/** The baseline: a bare fastify route with a fixed small JSON, in `workers` processes sharing a port as autolist's HTTP workers do. */
async function bare(port: number, workers: number): Promise<void> {
  if (cluster.isPrimary) {
    // At the priority of autolist's HTTP workers, so that both are served alike.
    await Promise.all(Array.from({ length: workers }, () => lowerPriority(cluster.fork().process.pid!, HTTP_PRIORITY)));
    let listening = 0;
    cluster.on('listening', (_worker, address) => {
      if (++listening === workers) process.stdout.write(`listening ${address.port}\n`);
    });
    process.once('SIGTERM', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
      process.exit(0);
    });
    return;
  }
  const app = fastify();
  app.get('/', async () => ({ status: 'ok', service: 'autolist' }));
  await app.listen({ host: '127.0.0.1', port });
}

/** The CPU time this process used so far, in seconds. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * This file in a child process with these arguments (in Linux's idle class with `idle`): its
 * standard output so far, and all of it once it ends.
 */
function child(argv: string[], options: { idle?: boolean } = {}): { process: ChildProcess; sofar: () => string; output: Promise<string> } {
  const node = [process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), ...argv];
  // Started in the class rather than moved there: chrt execs node, whose every thread then inherits it.
  const [command, ...args] = options.idle ? ['chrt', '--idle', '0', ...node] : node;
  const proc = spawn(command!, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  proc.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return {
    process: proc,
    sofar: () => output,
    output: new Promise((resolve, reject) => proc.once('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${argv.join(' ')} exited with ${String(code)}`))))),
  };
}

async function smtpLoad(port: number): Promise<SmtpFigures> {
  return JSON.parse(await child(['--smtp', String(port), String(PHASE_SECONDS)]).output) as SmtpFigures;
}

async function httpLoad(url: string, connections: number, seconds: number, options: { text?: boolean } = {}): Promise<CannonFigures> {
  // The HTTP clients stand for clients on other machines: on a machine of two cores, at the same
  // priority, a saturating load would take half the CPU from what is measured; at niceness 19 it
  // still held a core for its whole slice whenever it had one, each time a mail worker woke.
  const load = child(['--cannon', url, String(connections), String(seconds), options.text ? 'text' : 'json'], { idle: true });
  return JSON.parse(await load.output) as CannonFigures;
}

function printSmtp(label: string, f: SmtpFigures): void {
  console.log(
    `SMTP ${label.padEnd(26)} ${String(f.messages).padStart(6)} messages   ${f.perSecond.toFixed(1).padStart(7)} msg/s   RCPT p50 ${ms(f.rcptP50)}   p99 ${ms(f.rcptP99)}${f.refused > 0 ? `   ${f.refused} NOT 250` : ''}`,
  );
}

function printHttp(label: string, f: CannonFigures): void {
  console.log(`HTTP ${label.padEnd(44)} ${Math.round(f.perSecond).toLocaleString('en').padStart(8)} req/s   p50 ${ms(f.p50)}   p99 ${ms(f.p99)}${f.errors > 0 ? `   ${f.errors} errors` : ''}`);
}

async function measure(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`bench:isolation did not finish within ${DEADLINE_MS / 1000} s`);
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  const slapd = await startSlapd(await fixtureFile(PERSONS), PERSONS);
  const sink = await SmtpSink.start({ dump: false });
  const dir = mkdtempSync(join(tmpdir(), 'autolist-bench-isolation-'));
  const workers = availableParallelism();
  // At level warn (a line per request would be work the baseline does not do), the start is not logged: the ports are chosen here.
  const [httpPort, smtpPort] = [await freePort(), await freePort()];
  const server = ServeProcess.inFolder(dir, {
    AUTOLIST_HTTP_PORT: String(httpPort),
    AUTOLIST_SMTP_PORT: String(smtpPort),
    AUTOLIST_LDAP_URL: slapd.url,
    AUTOLIST_LDAP_BIND_DN: slapd.bindDN,
    AUTOLIST_LDAP_BIND_PASSWORD: slapd.password,
    AUTOLIST_RELAY_URL: sink.url,
    AUTOLIST_LOG_LEVEL: 'warn',
    AUTOLIST_HTTP_WORKERS: String(workers),
    AUTOLIST_HTTP_NICENESS: String(HTTP_PRIORITY),
    AUTOLIST_SMTP_WORKERS: String(workers),
    // One client sends far more than a client should: the rates are off here.
    AUTOLIST_HTTP_RATE_LIMIT: '0',
    AUTOLIST_SMTP_RATE_MESSAGES_PER_IP: '0',
    AUTOLIST_SMTP_RATE_MESSAGES_PER_SENDER: '0',
    AUTOLIST_SMTP_RATE_RECIPIENTS_PER_IP: '0',
    AUTOLIST_SMTP_RATE_RECIPIENTS_PER_SENDER: '0',
  });
  const bareServer = child(['--bare', '0', String(workers)]);
  process.once('exit', () => {
    server.child.kill('SIGKILL');
    bareServer.process.kill('SIGKILL');
  });
  try {
    const origin = `http://127.0.0.1:${httpPort}`;
    while (
      !(await answers(smtpPort, (data) => data.toString().startsWith('220'))) ||
      !(await fetch(`${origin}/healthz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (server.child.exitCode !== null) throw new Error(`autolist serve exited with ${server.child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const rights = `${origin}/v1/lists/${LIST}/rights/send?sender=${encodeURIComponent(SENDER)}`;
    const resolve = `${origin}/v1/lists/${LIST}`;
    const members = `${origin}/v1/lists/${EVERYONE}/members`;
    const decision = (await (await fetch(rights)).json()) as { decision?: string };
    if (decision.decision !== 'allow') throw new Error(`${SENDER} may not send to ${LIST} on the fixture`);
    const { count } = (await (await fetch(`${members}?count`)).json()) as { count: number };
    console.log(`fixture: ${PERSONS.toLocaleString('en')} persons in slapd; ${workers} HTTP and ${workers} SMTP workers; ${SMTP_SESSIONS} SMTP sessions to ${LIST}, ${PHASE_SECONDS} s a phase`);
    // Warm every worker: resolutions, decisions and the big list's members in their caches.
    await smtpLoad(smtpPort);
    await httpLoad(members, 2 * workers, 2, { text: true });

    // Meanwhile a probe asks /healthz every PROBE_EVERY_MS: what a liveness probe meets while mail takes every core.
    let smtpRunning = true;
    const probes = probeHealth(`${origin}/healthz`, () => smtpRunning);
    const idle = await smtpLoad(smtpPort).finally(() => (smtpRunning = false));
    printSmtp('alone', idle);
    const health = await probes;
    console.log(
      `HTTP meanwhile: /healthz every ${PROBE_EVERY_MS} ms (${health.length} probes)   p50 ${ms(quantile(health, 0.5))}   p99 ${ms(quantile(health, 0.99))}   max ${ms(quantile(health, 1))}`,
    );
    const seconds = PHASE_SECONDS + 6;
    const streams = httpLoad(members, STREAM_CONNECTIONS, seconds, { text: true });
    const decisions = httpLoad(rights, RIGHTS_CONNECTIONS, seconds);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const loaded = await smtpLoad(smtpPort);
    const [streamed, decided] = await Promise.all([streams, decisions]);
    printSmtp('under HTTP load', loaded);
    printHttp(`meanwhile: members of ${count.toLocaleString('en')} as text (${STREAM_CONNECTIONS} conn.)`, streamed);
    console.log(`     meanwhile: ${Math.round((streamed.perSecond * count) / 1e3).toLocaleString('en')}k member addresses/s streamed, ${(streamed.bytesPerSecond / 1e6).toFixed(0)} MB/s`);
    printHttp(`meanwhile: rights decisions (${RIGHTS_CONNECTIONS} conn.)`, decided);
    const generators = streamed.cpuSeconds + decided.cpuSeconds;
    console.log(`     meanwhile: the two HTTP load generators used ${generators.toFixed(1)} s of CPU, ${((100 * generators) / (seconds * availableParallelism())).toFixed(0)}% of the machine's`);

    const bareUrl = `http://127.0.0.1:${await barePort(bareServer)}/`;
    console.log('');
    const base = await httpLoad(bareUrl, HTTP_CONNECTIONS, HTTP_SECONDS);
    printHttp(`baseline: bare fastify, ${workers} processes`, base);
    const baseLatency = await httpLoad(bareUrl, LATENCY_CONNECTIONS, HTTP_SECONDS);
    printHttp(`  the same with ${LATENCY_CONNECTIONS} connections`, baseLatency);
    const routes: Array<[string, CannonFigures, CannonFigures]> = [];
    for (const [label, url] of [
      ['GET /v1/lists/{address}/rights/send (warm)', rights],
      ['GET /v1/lists/{address} (warm)', resolve],
    ] as const) {
      const saturated = await httpLoad(url, HTTP_CONNECTIONS, HTTP_SECONDS);
      printHttp(label, saturated);
      const latency = await httpLoad(url, LATENCY_CONNECTIONS, HTTP_SECONDS);
      printHttp(`  the same with ${LATENCY_CONNECTIONS} connections`, latency);
      routes.push([label, saturated, latency]);
    }

    console.log('');
    const ratio = loaded.perSecond / idle.perSecond;
    console.log(
      `SMTP under HTTP load: ${ratio.toFixed(2)}x the rate alone (target >= 0.70: ${verdict(ratio >= 0.7)}), RCPT p99 ${ms(loaded.rcptP99)} (target < 500 ms: ${verdict(loaded.rcptP99 < 500)})`,
    );
    for (const [label, saturated, latency] of routes) {
      const r = saturated.perSecond / base.perSecond;
      console.log(
        `${label}: ${r.toFixed(2)}x the baseline's req/s (target >= 0.50: ${verdict(r >= 0.5)}); p99 ${ms(latency.p99)} with ${LATENCY_CONNECTIONS} connections (target < 10 ms: ${verdict(latency.p99 < 10)}; the baseline's ${ms(baseLatency.p99)}), ${ms(saturated.p99)} saturated with ${HTTP_CONNECTIONS} connections (the baseline's ${ms(base.p99)})`,
      );
    }
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    bareServer.process.kill('SIGTERM');
    await sink.dispose();
    await slapd.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Asks `url` every PROBE_EVERY_MS while `running()` holds: each answer's time in milliseconds. */
async function probeHealth(url: string, running: () => boolean): Promise<number[]> {
  const times: number[] = [];
  while (running()) {
    const started = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
  }
  return times;
}

/** The port the bare baseline listens on, once all its processes listen. */
async function barePort(bare: { sofar: () => string }): Promise<number> {
  for (;;) {
    const port = /^listening (\d+)$/m.exec(bare.sofar())?.[1];
    if (port !== undefined) return Number(port);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
