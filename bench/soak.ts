/**
 * A soak run: `autolist serve` (a child process, as an operator runs it) under mixed HTTP and SMTP
 * load for --minutes N (default 10), its directory a slapd loaded with a 20,000-person fixture,
 * its relay a counting SMTP sink in this process. Meanwhile the caches of several lists are
 * invalidated now and then, and slapd is restarted twice (at a third and two thirds of the run,
 * down SLAPD_DOWN_MS each time).
 * Prints per minute: HTTP requests and SMTP messages answered, answers other than 200/250 by kind,
 * p99 latency of each, and the resident memory of autolist's processes (supervisor and workers). At the end, checks:
 *  - every message answered 250 reached the sink once for each member of its list;
 *  - no HTTP 5xx nor SMTP 5xx at all, and 4xx (SMTP) or 503/504 (HTTP, the directory is down) only
 *    while slapd restarts (from its stop until RESTART_GRACE_MS after it answers again);
 *  - resident memory flat after warm-up: the last minute's median at most 10% above the lowest
 *    minute's after the first (from 3 minutes on; with 2 the second minute is the last).
 * Exits 1 when a check fails. Loads are bounded in rate (HTTP_PER_SECOND, SMTP_PER_SECOND) and
 * time, over loopback only.
 *   npm run soak                  (or: npm run soak -- --minutes 2)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { quantile } from '../test/harness/flood.js';
import { childrenOf, ServeProcess } from '../test/harness/serve.js';
import { greeted, type RawClient } from '../test/harness/smtp-client.js';
import { fixtureFile, mb, ms, startSlapd } from './directory-fixture.js';
import { transaction } from './smtp-transaction.js';

const PERSONS = 20_000;
const MINUTE_MS = 60_000;
/** Load ceilings: HTTP requests and SMTP messages a second, over this many connections each. */
const HTTP_PER_SECOND = 40;
const HTTP_CONNECTIONS = 4;
const SMTP_PER_SECOND = 4;
const SMTP_SESSIONS = 2;
const INVALIDATE_EVERY_MS = 15_000;
/** How long slapd stays down at each restart: long enough for requests to meet it down. */
const SLAPD_DOWN_MS = 10_000;
/** After slapd answers again, answers of the restart (pool reconnects, retries in flight) are still tolerated this long. */
const RESTART_GRACE_MS = 30_000;
/** After the load stops, the relay has this long to bring every accepted message to the sink. */
const DRAIN_MS = 120_000;
const RSS_TOLERANCE = 0.1;
const SENDER = 'chef.bretagne@example.org';
const D = '@lists.example.org';
const CANDIDATE_LISTS = [
  'liste.chefs-56',
  'liste.chefs.militaires-56',
  'liste.chefs.civils-site-vannes',
  'liste.chefs-site-lorient',
  'liste.pilotes.civils-site-lorient',
  'liste.gendarmes.militaires-29',
];

const { values: options } = parseArgs({ options: { minutes: { type: 'string', default: '10' } } });
const minutes = Number(options.minutes);
if (!Number.isInteger(minutes) || minutes < 2 || minutes > 24 * 60) {
  console.error('--minutes: a whole number of minutes from 2 (the memory check compares the second minute with the last)');
  process.exit(2);
}

/** What happened in one minute of the run. */
class Minute {
  readonly http = new Map<string, number>();
  readonly smtp = new Map<string, number>();
  readonly httpMs: number[] = [];
  readonly smtpMs: number[] = [];
  readonly rss: number[] = [];
}

/** An answer outside the expected ones, kept for the checks. */
interface Odd {
  at: number;
  kind: string;
}

const answered = (counts: Map<string, number>): number => [...counts.values()].reduce((a, b) => a + b, 0);
const bump = (counts: Map<string, number>, key: string): void => void counts.set(key, (counts.get(key) ?? 0) + 1);
const describe = (counts: Map<string, number>, ok: string): string =>
  [...counts]
    .filter(([k]) => k !== ok)
    .map(([k, n]) => `${k}:${n}`)
    .join(' ') || '-';

/** A relay that accepts everything and counts, per Message-ID, each recipient's deliveries. */
function countingSink(): { server: SMTPServer; deliveries: Map<string, Map<string, number>> } {
  const deliveries = new Map<string, Map<string, number>>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1_048_576,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const header = text.slice(0, Math.max(0, text.search(/\r?\n\r?\n/)));
        const id = /^message-id:\s*(<[^>]*>)/im.exec(header)?.[1] ?? '(none)';
        const counts = deliveries.get(id) ?? new Map<string, number>();
        for (const rcpt of session.envelope.rcptTo) bump(counts, rcpt.address.toLowerCase());
        deliveries.set(id, counts);
        done();
      });
    },
  });
  return { server, deliveries };
}

/** The resident memory of a process and its children (autolist serve's workers), from /proc. */
function rssOf(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  // A worker that ended between the two reads holds nothing.
  const childRss = (child: number): number => {
    try {
      return rssOf(child);
    } catch {
      return 0;
    }
  };
  return (kb === undefined ? Number.NaN : Number(kb) * 1024) + childrenOf(pid).reduce((sum, child) => sum + childRss(child), 0);
}

const sleep = (msDelay: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, msDelay));

const slapd = await startSlapd(await fixtureFile(PERSONS), PERSONS);
const sink = countingSink();
await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
const sinkPort = (sink.server.server.address() as AddressInfo).port;
const dir = mkdtempSync(join(tmpdir(), 'autolist-soak-'));
// The load is well past what one client should send: the per-client rates are off here.
const server = ServeProcess.start({
  AUTOLIST_LDAP_URL: slapd.url,
  AUTOLIST_LDAP_BIND_DN: slapd.bindDN,
  AUTOLIST_LDAP_BIND_PASSWORD: slapd.password,
  AUTOLIST_HTTP_HOST: '127.0.0.1',
  AUTOLIST_HTTP_PORT: '0',
  AUTOLIST_HTTP_RATE_LIMIT: '0',
  AUTOLIST_SMTP_PORT: '0',
  AUTOLIST_SMTP_RATE_MESSAGES_PER_SENDER: '0',
  AUTOLIST_SMTP_RATE_RECIPIENTS_PER_SENDER: '0',
  AUTOLIST_SMTP_RATE_MESSAGES_PER_IP: '0',
  AUTOLIST_SMTP_RATE_RECIPIENTS_PER_IP: '0',
  AUTOLIST_RELAY_URL: `smtp://127.0.0.1:${sinkPort}`,
  AUTOLIST_OUTBOX_DIR: join(dir, 'outbox'),
  AUTOLIST_RELAY_STATE_DIR: join(dir, 'state'),
  AUTOLIST_BOUNCES_FILE: join(dir, 'bounces.log'),
  AUTOLIST_LOG_LEVEL: 'info',
});
const pid = server.child.pid!;
// Whatever ends this run, the server does not outlive it.
process.once('exit', () => server.child.kill('SIGKILL'));
const fronts = await server.fronts();
const origin = String(fronts.http);
const smtpPort = Number(new URL(String(fronts.smtp)).port);

// The lists: those the sender may write to, with their members as the directory has them now.
const lists: Array<{ address: string; members: Set<string> }> = [];
for (const name of CANDIDATE_LISTS) {
  const address = `${name}${D}`;
  const rights = await fetch(`${origin}/v1/lists/${encodeURIComponent(address)}/rights/send?sender=${encodeURIComponent(SENDER)}`);
  const { decision } = (await rights.json()) as { decision?: string };
  const response = await fetch(`${origin}/v1/lists/${encodeURIComponent(address)}/members`, { headers: { accept: 'text/plain' } });
  const members = new Set(
    (await response.text())
      .split('\n')
      .map((m) => m.trim().toLowerCase())
      .filter((m) => m !== ''),
  );
  if (rights.status === 200 && decision === 'allow' && response.status === 200 && members.size > 0) lists.push({ address, members });
}
if (lists.length < 2) throw new Error(`only ${lists.length} of the candidate lists accept ${SENDER} and have members`);
console.log(`soak: ${minutes} min, ${PERSONS.toLocaleString('en')} persons in slapd, lists ${lists.map((l) => `${l.address} (${l.members.size})`).join(', ')}`);
console.log(
  `load: at most ${HTTP_PER_SECOND} HTTP requests/s over ${HTTP_CONNECTIONS} connections, ${SMTP_PER_SECOND} messages/s over ${SMTP_SESSIONS} sessions; cache invalidated every ${INVALIDATE_EVERY_MS / 1000} s`,
);

const started = performance.now();
const endAt = started + minutes * MINUTE_MS;
const running = (): boolean => performance.now() < endAt;
const timeline = Array.from({ length: minutes }, () => new Minute());
const current = (): Minute => timeline[Math.min(minutes - 1, Math.floor((performance.now() - started) / MINUTE_MS))]!;
const restarts: Array<{ from: number; to: number }> = [];
const odd = { http: [] as Odd[], smtp: [] as Odd[] };
const accepted = new Map<string, Set<string>>();

/** Paces a loop to `perSecond` iterations a second at most. */
async function paced(perSecond: number, step: () => Promise<void>): Promise<void> {
  while (running()) {
    const begin = performance.now();
    await step();
    await sleep(Math.max(0, 1000 / perSecond - (performance.now() - begin)));
  }
}

async function httpWorker(worker: number): Promise<void> {
  let n = worker;
  await paced(HTTP_PER_SECOND / HTTP_CONNECTIONS, async () => {
    const list = lists[n % lists.length]!;
    const paths = [
      `/v1/lists/${encodeURIComponent(list.address)}`,
      `/v1/lists/${encodeURIComponent(list.address)}/rights/send?sender=${encodeURIComponent(SENDER)}`,
      `/v1/lists/${encodeURIComponent(list.address)}/members?count`,
    ];
    // Every list gets each kind of request in turn.
    const path = paths[Math.floor(n / lists.length) % paths.length]!;
    n++;
    const begin = performance.now();
    let status: string;
    try {
      const response = await fetch(`${origin}${path}`, { signal: AbortSignal.timeout(30_000) });
      await response.arrayBuffer();
      status = String(response.status);
    } catch (error) {
      status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'connection';
    }
    const minute = current();
    minute.httpMs.push(performance.now() - begin);
    bump(minute.http, status);
    if (status !== '200') odd.http.push({ at: performance.now(), kind: status });
  });
}

async function smtpWorker(worker: number): Promise<void> {
  let client: RawClient | undefined;
  let n = 0;
  await paced(SMTP_PER_SECOND / SMTP_SESSIONS, async () => {
    const list = lists[(worker + n) % lists.length]!;
    const id = `<soak-${worker}-${n}@soak.example.org>`;
    n++;
    const begin = performance.now();
    let reply: string | undefined;
    try {
      if (client === undefined) {
        client = await greeted(smtpPort);
        await client.ask('EHLO soak.example.org');
      }
      ({ reply } = await transaction(client, SENDER, list.address, id));
    } catch {
      reply = undefined;
    }
    // 421: the server closes the session (at the hard error limit, say, during an outage); a new one follows.
    if (reply === undefined || reply.startsWith('421')) {
      client?.socket.destroy();
      client = undefined;
    }
    const kind = reply === undefined ? 'lost' : `${reply[0]}xx`;
    const minute = current();
    minute.smtpMs.push(performance.now() - begin);
    bump(minute.smtp, kind);
    if (kind === '2xx') accepted.set(id, list.members);
    else odd.smtp.push({ at: performance.now(), kind: reply ?? 'lost' });
  });
  if (client !== undefined) await client.quit().catch(() => client?.socket.destroy());
}

async function cacheChurn(): Promise<void> {
  let n = 0;
  while (running()) {
    await sleep(Math.min(INVALIDATE_EVERY_MS, Math.max(0, endAt - performance.now())));
    if (!running()) break;
    // Mostly one list at a time, every fourth time all at once.
    const body = n % 4 === 3 ? { all: true } : { list: lists[n % lists.length]!.address };
    n++;
    const response = await fetch(`${origin}/v1/cache/invalidate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status !== 200) throw new Error(`POST /v1/cache/invalidate answered ${response.status}`);
  }
}

async function slapdRestarts(): Promise<void> {
  for (const fraction of [1 / 3, 2 / 3]) {
    await sleep(Math.max(0, started + fraction * minutes * MINUTE_MS - performance.now()));
    const from = performance.now();
    await slapd.stop();
    await sleep(SLAPD_DOWN_MS);
    await slapd.restart();
    restarts.push({ from, to: performance.now() + RESTART_GRACE_MS });
    console.log(`  slapd stopped at ${((from - started) / 1000).toFixed(0)} s, answering again after ${ms(performance.now() - from)}`);
  }
}

async function memorySampler(): Promise<void> {
  while (running()) {
    current().rss.push(rssOf(pid));
    await sleep(5_000);
  }
}

async function minuteReports(): Promise<void> {
  console.log('minute   HTTP  non-200          p99 HTTP   SMTP  non-250    p99 SMTP     RSS (median)');
  for (let m = 0; m < minutes; m++) {
    await sleep(Math.max(0, started + (m + 1) * MINUTE_MS - performance.now()) + 1_000);
    const t = timeline[m]!;
    console.log(
      `${String(m + 1).padStart(6)} ${String(answered(t.http)).padStart(6)}  ${describe(t.http, '200').padEnd(16)} ${ms(quantile(t.httpMs, 0.99)).padStart(9)} ${String(answered(t.smtp)).padStart(6)}  ${describe(t.smtp, '2xx').padEnd(10)} ${ms(quantile(t.smtpMs, 0.99)).padStart(10)}  ${mb(quantile(t.rss, 0.5)).padStart(9)}`,
    );
  }
}

const failures: string[] = [];
const check = (label: string, met: boolean): void => {
  console.log(`${met ? 'ok     ' : 'FAILED '} ${label}`);
  if (!met) failures.push(label);
};

try {
  await Promise.all([
    ...Array.from({ length: HTTP_CONNECTIONS }, (_, i) => httpWorker(i)),
    ...Array.from({ length: SMTP_SESSIONS }, (_, i) => smtpWorker(i)),
    cacheChurn(),
    slapdRestarts(),
    memorySampler(),
    minuteReports(),
  ]);

  // Every accepted message at the sink, once for each member: waits for the relay to finish.
  const shortfall = (): { missing: number; duplicated: number; incomplete: number } => {
    let missing = 0;
    let duplicated = 0;
    let incomplete = 0;
    for (const [id, members] of accepted) {
      const got = sink.deliveries.get(id) ?? new Map<string, number>();
      let lacking = 0;
      for (const member of members) if ((got.get(member) ?? 0) === 0) lacking++;
      for (const count of got.values()) if (count > 1) duplicated++;
      missing += lacking;
      if (lacking > 0) incomplete++;
    }
    return { missing, duplicated, incomplete };
  };
  const drainUntil = performance.now() + DRAIN_MS;
  while (shortfall().missing > 0 && performance.now() < drainUntil) await sleep(1_000);
  const { missing, duplicated, incomplete } = shortfall();
  const expected = [...accepted.values()].reduce((n, members) => n + members.size, 0);
  const strangers = [...sink.deliveries].filter(([id, got]) => !accepted.has(id) || [...got.keys()].some((r) => !accepted.get(id)!.has(r))).length;

  console.log('');
  console.log(
    `messages answered 250: ${accepted.size}; member copies expected ${expected}, missing ${missing} (in ${incomplete} messages), delivered more than once ${duplicated}; messages at the sink not accepted or to non-members: ${strangers}`,
  );
  const during = (at: number): boolean => restarts.some((r) => at >= r.from && at <= r.to);
  const httpBad = odd.http.filter((o) => !(during(o.at) && (o.kind === '503' || o.kind === '504')));
  const smtpBad = odd.smtp.filter((o) => !(during(o.at) && o.kind.startsWith('4')));
  const firstOf = (list: Odd[]): string => (list.length === 0 ? '' : ` (first: ${list[0]!.kind} at ${((list[0]!.at - started) / 1000).toFixed(0)} s)`);
  check(`every message answered 250 reached every member of its list exactly once`, accepted.size > 0 && missing === 0 && duplicated === 0 && strangers === 0);
  check(`HTTP answers other than 200 only 503/504 during slapd restarts: ${httpBad.length} outside${firstOf(httpBad)}`, httpBad.length === 0);
  check(`SMTP replies other than 250 only 4xx during slapd restarts: ${smtpBad.length} outside${firstOf(smtpBad)}`, smtpBad.length === 0);
  check(
    'HTTP requests and SMTP messages answered in every minute',
    timeline.every((t) => answered(t.http) > 0 && answered(t.smtp) > 0),
  );
  check(`slapd restarted twice: ${restarts.length}`, restarts.length === 2);
  // Flat means no growth: the last minute within 10% above the lowest minute after warm-up (the
  // first minute); memory given back after warm-up is no leak.
  const settled = Math.min(...timeline.slice(1).map((t) => quantile(t.rss, 0.5)));
  const last = quantile(timeline[minutes - 1]!.rss, 0.5);
  const rssLabel = `RSS flat after warm-up: last minute ${mb(last)}, lowest minute after the first ${mb(settled)} (${(((last - settled) / settled) * 100).toFixed(1)}%, at most +${RSS_TOLERANCE * 100}%)`;
  // With two minutes the second is the last: nothing to compare.
  if (minutes < 3) console.log(`skipped ${rssLabel}: needs --minutes 3 or more`);
  else check(rssLabel, last - settled <= RSS_TOLERANCE * settled);
  check('autolist still running', server.child.exitCode === null && server.child.signalCode === null);
  const replaced = server.lines.filter((l) => l.msg === 'a worker stopped; another takes its place').length;
  check(`no worker stopped on its own: ${replaced}`, replaced === 0);
} finally {
  server.child.kill('SIGTERM');
  await server.exited;
  await new Promise<void>((resolve) => sink.server.close(() => resolve()));
  await slapd.dispose();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failures.length === 0 ? 0 : 1);
