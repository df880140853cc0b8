/**
 * Expanding `liste.personnels-national` (about 100,000 members) from slapd through LdapDirectory
 * and Membership, cold, against the ldapsearch command doing the same paged search for the same
 * attribute (the baseline, timed in the same run, runs alternating); then warm, from the cache.
 * Prints each figure, the ratio and the targets; asserts nothing.
 *   npm run bench:members       (node --expose-gc --import tsx bench/members.ts)
 */
import { spawn } from 'node:child_process';
import { loadConfig } from '../src/config/config.js';
import { LdapDirectory } from '../src/directory/index.js';
import { Membership } from '../src/membership/index.js';
import { catalogFor } from '../src/services.js';
import type { Slapd } from '../test/harness/slapd.js';
import { fixtureFile, heapAfterGc, mb, median, ms, peakRss, startSlapd, timed, verdict } from './directory-fixture.js';

const ADDRESS = 'liste.personnels-national@lists.example.org';
const PAGE_SIZE = 1000;
const RUNS = 5;
const WARM_CALLS = 100_000;

const list = catalogFor(loadConfig({})).resolver.resolve(ADDRESS);
const slapd = await startSlapd(await fixtureFile());

/** `ldapsearch -E pr=1000/noprompt` for the list's filter and member attribute; its output is read and counted. */
function ldapsearch(server: Slapd): Promise<number> {
  const args = ['-x', '-LLL', '-H', server.url, '-D', server.bindDN, '-w', server.password, '-b', list.directory.base, '-s', list.directory.scope];
  args.push('-E', `pr=${PAGE_SIZE}/noprompt`, list.filterText, list.directory.memberAttribute);
  return new Promise((resolve, reject) => {
    const child = spawn('ldapsearch', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let values = 0;
    let tail = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const lines = (tail + text).split('\n');
      tail = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith(`${list.directory.memberAttribute}:`)) values++;
    });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(values) : reject(new Error(`ldapsearch exited with ${code}`))));
  });
}

function membershipOver(directory: LdapDirectory): Membership {
  return new Membership({ directory, maxMembersHeld: 2_000_000, defaultTtlSeconds: 3600, maxStaleSeconds: 86_400, senderTtlSeconds: 300 });
}

/** A cold expansion: a new directory (connect and bind included, as ldapsearch does) and an empty cache. */
async function cold(): Promise<number> {
  const directory = new LdapDirectory({ urls: [slapd.url], bindDN: slapd.bindDN, bindPassword: slapd.password, pageSize: PAGE_SIZE });
  try {
    return (await membershipOver(directory).expand(list)).members.length;
  } finally {
    await directory.close();
  }
}

try {
  console.log(`${ADDRESS}: ${list.filterText}, attribute ${list.directory.memberAttribute}, pages of ${PAGE_SIZE}`);
  // Warm slapd's own caches first, for both.
  const [baselineCount, ourCount] = [await ldapsearch(slapd), await cold()];
  console.log(`members: ${ourCount.toLocaleString('en')} (ldapsearch printed ${baselineCount.toLocaleString('en')} ${list.directory.memberAttribute} values)`);

  const baseline: number[] = [];
  const ours: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    baseline.push((await timed(() => ldapsearch(slapd)))[0]);
    ours.push((await timed(cold))[0]);
  }
  const baselineMs = median(baseline);
  const coldMs = median(ours);
  console.log(`ldapsearch -E pr=${PAGE_SIZE}/noprompt, whole command: median ${ms(baselineMs)} of ${baseline.map((t) => t.toFixed(0)).join(', ')}`);
  console.log(`cold expansion (LdapDirectory + Membership): median ${ms(coldMs)} of ${ours.map((t) => t.toFixed(0)).join(', ')}`);

  // Warm: one Membership holding the list; the heap it holds is measured with the list dropped.
  const directory = new LdapDirectory({ urls: [slapd.url], bindDN: slapd.bindDN, bindPassword: slapd.password, pageSize: PAGE_SIZE });
  const membership = membershipOver(directory);
  const emptyHeap = heapAfterGc();
  await membership.expand(list);
  const heldHeap = heapAfterGc();
  const warm: number[] = [];
  for (let run = 0; run < 5; run++) warm.push((await timed(() => membership.expand(list)))[0]);
  const [manyMs] = await timed(async () => {
    for (let i = 0; i < WARM_CALLS; i++) await membership.expand(list);
  });
  const [streamMs, streamed] = await timed(async () => {
    let count = 0;
    for await (const _member of membership.stream(list)) count++;
    return count;
  });
  const warmMs = Math.max(...warm);
  const cacheHeap = heldHeap - emptyHeap;
  membership.invalidateAll();
  const releasedHeap = heapAfterGc();
  await directory.close();

  console.log(`warm expansion (from the cache): at most ${ms(warmMs)} of 5; ${Math.round(WARM_CALLS / (manyMs / 1000)).toLocaleString('en')} expansions/s over ${WARM_CALLS.toLocaleString('en')}`);
  console.log(`warm stream of all ${streamed.toLocaleString('en')} members: ${ms(streamMs)} (${Math.round(streamed / (streamMs / 1000)).toLocaleString('en')} members/s)`);
  console.log(`heap held by the cache for the list: ${mb(cacheHeap)} (after invalidation ${mb(releasedHeap - emptyHeap)})`);
  console.log(`peak RSS of this process: ${peakRss()}`);
  console.log('');
  console.log(`cold: ${(coldMs / baselineMs).toFixed(2)}x ldapsearch (target <= 1.3x: ${verdict(coldMs <= 1.3 * baselineMs)})`);
  console.log(`warm: ${ms(warmMs)} (target < 20 ms: ${verdict(warmMs < 20)})`);
  console.log(`cache heap: ${mb(cacheHeap)} (target < 30 MB: ${verdict(cacheHeap < 30 * 1024 * 1024)})`);
} finally {
  await slapd.dispose();
}
