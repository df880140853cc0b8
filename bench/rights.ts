/**
 * Rights decisions per second on the 100,000-person fixture served by slapd, for a mix of allowed
 * and denied senders of the `liste` family:
 * - cold: fresh Rights and Membership, every sender new: directory lookups per decision (at most
 *   one), against raw sender searches over the same connection pool (the floor of a lookup);
 * - warm: every decision cached, against raw gets of keys of the same shape, built beforehand,
 *   from an LRU cache of the same size (the floor of a cache hit).
 * Prints figures and ratios; asserts nothing.
 *   npm run bench:rights      (or: npx tsx bench/rights.ts)
 */
import { EqualityFilter } from 'ldapts';
import { LRUCache } from 'lru-cache';
import { normaliseSender } from '../src/address/sender-address.js';
import type { ListDefinition } from '../src/charter/list.js';
import { loadFamilies } from '../src/charter/load.js';
import { Resolver } from '../src/charter/resolver.js';
import { LdapDirectory, matchesEntry, type Directory } from '../src/directory/index.js';
import { createLogger } from '../src/log.js';
import { Membership } from '../src/membership/index.js';
import { senderFilter } from '../src/membership/sender-filter.js';
import { Rights } from '../src/rights/index.js';
import { fixtureFile, PERSONS, startSlapd, timed, verdict } from './directory-fixture.js';

/** Distinct senders for the cold run, and as many others for the raw-search baseline. */
const COLD_SENDERS = 1_000;
/** Decisions under way at once in the cold run, as an SMTP front with that many sessions. */
const CONCURRENCY = 8;
const WARM_ROUNDS = 100;
const D = '@lists.example.org';
const LISTS = ['personnels-national', 'chefs-56', 'gendarmes-bretagne', 'chefs.civils-idf', 'pilotes-site-brest', 'personnels-2a', 'mecaniciens-corse', 'sites-29'];

/** The mails of persons of the directory: chefs (allowed to send) and others, every third one. */
async function mailsByTitle(directory: Directory, list: ListDefinition, count: number): Promise<{ chefs: string[]; others: string[] }> {
  const chefs: string[] = [];
  const others: string[] = [];
  const persons = new EqualityFilter({ attribute: 'objectClass', value: 'inetOrgPerson' });
  let index = 0;
  for await (const entry of directory.search({ base: list.directory.base, scope: 'sub', filter: persons, attributes: ['mail', 'title'] })) {
    const mail = entry.attributes.mail?.[0];
    if (!mail || index++ % 3 !== 0 || (chefs.length >= count && others.length >= count)) continue;
    (entry.attributes.title?.[0]?.toLowerCase() === 'chef' ? chefs : others).push(mail);
  }
  return { chefs, others };
}

/** The mix: half chefs, four tenths other persons, one tenth nobody; a quarter in capitals, a quarter with a +tag. */
function senders(mails: { chefs: string[]; others: string[] }, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 10;
    const address = (kind < 5 ? mails.chefs[i] : kind < 9 ? mails.others[i] : undefined) ?? `inconnu.${i}@example.org`;
    out.push(i % 4 === 1 ? address.toUpperCase() : i % 4 === 2 ? address.replace('@', '+listes@') : address);
  }
  return out;
}

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** How many a second, `count` done in `work`. */
async function rate(count: number, work: () => Promise<void>): Promise<number> {
  const [ms] = await timed(work);
  return (count * 1000) / ms;
}

const line = (label: string, perSecond: number, extra = ''): void => console.log(`${label.padEnd(44)} ${Math.round(perSecond).toLocaleString('en').padStart(12)} /s${extra}`);

const slapd = await startSlapd(await fixtureFile());
const logger = createLogger('silent');
const directory: Directory = new LdapDirectory({ urls: [slapd.url], bindDN: slapd.bindDN, bindPassword: slapd.password, poolSize: CONCURRENCY, logger });
try {
  const resolver = new Resolver(loadFamilies('families'));
  const lists: ListDefinition[] = LISTS.map((name) => resolver.resolve(`liste.${name}${D}`));
  const national = lists[0] as ListDefinition;
  const all = senders(await mailsByTitle(directory, national, 2 * COLD_SENDERS), 2 * COLD_SENDERS);
  const [baselineSenders, coldSenders] = [all.slice(0, COLD_SENDERS), all.slice(COLD_SENDERS)];
  console.log(`${COLD_SENDERS} distinct senders per cold run (5 chefs : 4 others : 1 unknown), ${CONCURRENCY} at a time; ${lists.length} lists`);

  // Cold baseline: the sender search itself, straight to the directory, before and after the cold run.
  const settings = national.directory;
  const rawSearches = (): Promise<number> =>
    rate(baselineSenders.length, () =>
      inParallel(baselineSenders, CONCURRENCY, async (sender) => {
        const address = normaliseSender(sender)?.address ?? '';
        for await (const _ of directory.search({ base: settings.base, scope: settings.scope, filter: senderFilter(address, settings), attributes: [] }));
      }),
    );
  const rawBefore = await rawSearches();
  line('baseline: raw sender search over LDAP', rawBefore);

  // Cold: fresh caches, every sender new. Sender entries are kept long enough to serve the warm run below.
  const membership = new Membership({ directory, maxMembersHeld: 2_000_000, defaultTtlSeconds: 3600, maxStaleSeconds: 0, senderTtlSeconds: 3600, logger });
  const rightsOptions = { resolve: (address: string) => resolver.resolve(address), directory: membership, matches: matchesEntry, logger };
  const cold = new Rights(rightsOptions);
  const coldPairs = coldSenders.map((sender, i) => ({ sender, list: lists[i % lists.length] as ListDefinition }));
  const coldRate = await rate(coldPairs.length, () => inParallel(coldPairs, CONCURRENCY, async ({ sender, list }) => void (await cold.decide(list, 'send', sender))));
  const coldCounters = cold.counters();
  const lookups = membership.stats().searches / coldCounters.decisions;
  const rawAfter = await rawSearches();
  line('baseline: raw sender search, again', rawAfter);
  const rawRate = (rawBefore + rawAfter) / 2;
  line('cold: decisions, every sender new', coldRate, `   ${(coldRate / rawRate).toFixed(2)}x the raw search (mean of both)`);
  console.log(`  allow ${coldCounters.allow}, deny ${coldCounters.deny}, defer ${coldCounters.defer}; directory lookups per decision: ${lookups.toFixed(3)}`);

  // Warm: every (list, sender) decided once over the sender entries already held, then decided again and again.
  // The TTL is long enough for the run: what is measured is the cost of a hit, which the TTL does not change.
  const warm = new Rights({ ...rightsOptions, ttlSeconds: 600 });
  const pairs = lists.flatMap((list) => coldSenders.map((sender) => ({ list, sender })));
  const searchesBefore = membership.stats().searches;
  for (const { list, sender } of pairs) await warm.decide(list, 'send', sender);
  const primingSearches = membership.stats().searches - searchesBefore;

  const lru = new LRUCache<string, object>({ max: 100_000, ttl: 600_000 });
  // Keys of the decisions cache's shape (list number, action, context number, sender), built beforehand.
  const keys = pairs.map(({ list, sender }) => `${lists.indexOf(list) + 1}\nsend\n0\n${normaliseSender(sender)?.address ?? ''}`);
  for (const key of keys) lru.set(key, { decision: 'allow' });
  let found = 0;
  const lruRate = await rate(keys.length * WARM_ROUNDS, async () => {
    for (let round = 0; round < WARM_ROUNDS; round++) for (const key of keys) if (lru.get(key)) found++;
  });
  line('baseline: raw LRU get of as many keys', lruRate);

  const before = warm.counters();
  const warmRate = await rate(pairs.length * WARM_ROUNDS, async () => {
    for (let round = 0; round < WARM_ROUNDS; round++) for (const { list, sender } of pairs) await warm.decide(list, 'send', sender);
  });
  const after = warm.counters();
  const hitRatio = (after.cached - before.cached) / (after.decisions - before.decisions);
  line('warm: decisions, all cached', warmRate, `   ${(warmRate / lruRate).toFixed(2)}x the raw LRU get`);
  console.log(
    `  ${pairs.length} (list, sender) pairs x ${WARM_ROUNDS} rounds; hits ${(hitRatio * 100).toFixed(1)}%; priming searched ${primingSearches} times (${found === keys.length * WARM_ROUNDS ? 'baseline found every key' : 'baseline missed keys'})`,
  );

  console.log('');
  console.log(`${PERSONS.toLocaleString('en')} persons in slapd`);
  console.log(
    `cold: ${Math.round(coldRate).toLocaleString('en')} decisions/s, ${(coldRate / rawRate).toFixed(2)}x the raw sender search; ${lookups.toFixed(3)} lookups per decision (target <= 1: ${verdict(lookups <= 1)})`,
  );
  console.log(`warm: ${Math.round(warmRate).toLocaleString('en')} decisions/s, ${(warmRate / lruRate).toFixed(2)}x the raw LRU get (target >= 500,000/s: ${verdict(warmRate >= 500_000)})`);
} finally {
  await directory.close();
  await slapd.dispose();
}
