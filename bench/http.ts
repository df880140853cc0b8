/**
 * The HTTP front under load, against a bare fastify route returning a fixed small JSON (the
 * baseline, measured in the same run): autocannon on a worker thread, 10 s per target, first with
 * 100 connections (the throughput, each answer sent as soon as the last one came back), then with
 * 10 (the latency of a busy client pool, not of a queue 100 deep: on two cores shared with the load
 * generator, 100 connections queue even on the bare route). Then `members` as text/plain for a list of about 100,000 members, downloaded
 * by curl. The directory is slapd loaded with the 100,000-person fixture, as in production (the
 * embedded directory would hold 100,000 entries in this process's heap and lengthen its GC pauses). Prints each figure,
 * ratio and target; asserts nothing.
 *   npm run bench:http       (or: npx tsx bench/http.ts)
 */
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config/config.js';
import { buildApp } from '../src/http/app.js';
import { buildServices } from '../src/services.js';
import { fixtureFile, mb, median, ms, PERSONS, startSlapd, verdict } from './directory-fixture.js';

const CONNECTIONS = 100;
/** The latency is measured with fewer clients than the throughput, so that it is not the queue's. */
const LATENCY_CONNECTIONS = 10;
const DURATION_SECONDS = 10;
const WARM_SECONDS = 2;
const STREAM_RUNS = 5;
const D = '@lists.example.org';
const EVERYONE = `/v1/lists/liste.personnels-national${D}`;

async function listening(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

interface Load {
  label: string;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** autocannon against one URL; every answer must be a 200. */
async function load(label: string, url: string, connections = CONNECTIONS): Promise<Load> {
  const result = await autocannon({ url, connections, duration: DURATION_SECONDS, workers: 1 });
  const errors = result.errors + result.timeouts + result.non2xx;
  const figures = { label, perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
  console.log(
    `${label.padEnd(44)} ${Math.round(figures.perSecond).toLocaleString('en').padStart(8)} req/s   p50 ${ms(figures.p50)}   p99 ${ms(figures.p99)}${errors > 0 ? `   ${errors} errors` : ''}`,
  );
  return figures;
}

const baseline = fastify();
baseline.get('/', async () => ({ status: 'ok', service: 'autolist' }));
const baselineUrl = await listening(baseline);

const slapd = await startSlapd(await fixtureFile());
// 100 connections from one address go far past any rate a client should have: the rate limit is off here.
const env = {
  ...process.env,
  AUTOLIST_LDAP_URL: slapd.url,
  AUTOLIST_LDAP_BIND_DN: slapd.bindDN,
  AUTOLIST_LDAP_BIND_PASSWORD: slapd.password,
  AUTOLIST_HTTP_RATE_LIMIT: '0',
  AUTOLIST_LOG_LEVEL: process.env.AUTOLIST_LOG_LEVEL ?? 'warn',
};
const services = await buildServices(loadConfig(env));
const app = await buildApp(services);
const origin = await listening(app);

// Warm: the resolution, the decision and the members are cached before the load starts.
const targets: Array<[string, string]> = [
  ['GET /v1/lists/{address} (warm)', `${origin}/v1/lists/liste.chefs-56${D}`],
  ['GET /v1/lists/{address}/rights/send (warm)', `${origin}/v1/lists/liste.chefs-56${D}/rights/send?sender=chef.bretagne%40example.org`],
];
for (const [, url] of targets) if ((await fetch(url)).status !== 200) throw new Error(`${url} does not answer 200`);
const { count } = (await (await fetch(`${origin}${EVERYONE}/members?count`)).json()) as { count: number };

console.log(`fixture: ${PERSONS.toLocaleString('en')} persons; ${CONNECTIONS} connections, ${DURATION_SECONDS} s per target; log level ${services.config.logLevel}`);
// Each target is loaded for a moment before it is measured, so that none is timed while the JIT still compiles its code.
for (const url of [`${baselineUrl}/`, ...targets.map(([, u]) => u)]) await autocannon({ url, connections: CONNECTIONS, duration: WARM_SECONDS, workers: 1 });
console.log(`${CONNECTIONS} connections:`);
const base = await load('baseline: bare fastify, fixed small JSON', `${baselineUrl}/`);
const results = [];
for (const [label, url] of targets) results.push(await load(label, url));
console.log(`${LATENCY_CONNECTIONS} connections:`);
const baseLatency = await load('baseline: bare fastify, fixed small JSON', `${baselineUrl}/`, LATENCY_CONNECTIONS);
const latencies: Load[] = [];
for (const [label, url] of targets) latencies.push(await load(label, url, LATENCY_CONNECTIONS));

/** curl downloads the whole list as text/plain: time to first byte, total time, bytes. */
async function download(): Promise<{ firstByteMs: number; totalMs: number; bytes: number }> {
  const format = '%{time_starttransfer} %{time_total} %{size_download}';
  const { stdout } = await promisify(execFile)('curl', ['-sS', '-o', '/dev/null', '-H', 'accept: text/plain', '-w', format, `${origin}${EVERYONE}/members`]);
  const [firstByte = 0, total = 0, bytes = 0] = stdout.trim().split(' ').map(Number);
  return { firstByteMs: firstByte * 1000, totalMs: total * 1000, bytes };
}
await download();
// The memory a download holds on top of the cached members: the peak of the heap while it runs.
const heapBefore = process.memoryUsage().heapUsed;
let heapPeak = heapBefore;
const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 2);
const downloads = [];
for (let i = 0; i < STREAM_RUNS; i++) downloads.push(await download());
clearInterval(sampler);
const streamMs = median(downloads.map((d) => d.totalMs));
const addressesPerSecond = count / (streamMs / 1000);
console.log(
  `members as text/plain, ${count.toLocaleString('en')} addresses (${(downloads[0]!.bytes / 1e6).toFixed(1)} MB), median of ${STREAM_RUNS} downloads: ${ms(streamMs)}, first byte after ${ms(median(downloads.map((d) => d.firstByteMs)))}`,
);
console.log(`heap while streaming: at most ${mb(heapPeak - heapBefore)} above its level before (the whole list as text is ${mb(downloads[0]!.bytes)})`);

console.log('');
results.forEach((r, i) => {
  const ratio = r.perSecond / base.perSecond;
  const p99 = latencies[i]!.p99;
  console.log(
    `${r.label}: ${ratio.toFixed(2)}x the baseline's req/s (target >= 0.50: ${verdict(ratio >= 0.5)}), p99 with ${LATENCY_CONNECTIONS} connections ${ms(p99)} (target < 10 ms: ${verdict(p99 < 10)}; the baseline's ${ms(baseLatency.p99)}), with ${CONNECTIONS} ${ms(r.p99)} (the baseline's ${ms(base.p99)})`,
  );
});
console.log(`members stream: ${Math.round(addressesPerSecond).toLocaleString('en')} addresses/s (target >= 200,000/s: ${verdict(addressesPerSecond >= 200_000)})`);

await app.close();
await services.close();
await baseline.close();
await slapd.dispose();
