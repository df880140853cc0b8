/**
 * The embedded directory on the 100,000-person fixture: load time and memory, then searches for a
 * few `liste` filters (and a filter no index narrows, evaluated on every entry) next to the same
 * searches through LdapDirectory against slapd loaded with the same LDIF, in the same run.
 * Prints each figure, the ratios and the targets; asserts nothing.
 *   npm run bench:embedded      (node --expose-gc --import tsx bench/embedded.ts)
 */
import type { Filter } from 'ldapts';
import { loadConfig } from '../src/config/config.js';
import type { Directory } from '../src/directory/directory.js';
import { EmbeddedDirectory, LdapDirectory } from '../src/directory/index.js';
import { parseFilter } from '../src/filter/index.js';
import { catalogFor } from '../src/services.js';
import { fixtureFile, heapAfterGc, mb, median, ms, peakRss, PERSONS, seconds, startSlapd, timed, verdict } from './directory-fixture.js';

const RUNS = 5;
const resolver = catalogFor(loadConfig({})).resolver;
const searches: [string, Filter][] = ['liste.personnels-national', 'liste.chefs-56', 'liste.chefs.civils-bretagne', 'liste.gendarmes-corse', 'liste.pilotes-site-lorient', 'liste.sites-2a'].map(
  (name) => [name, resolver.resolve(`${name}@lists.example.org`).filter],
);
// No index narrows it: every entry is evaluated.
searches.push(['every entry evaluated', parseFilter('(&(mail=*)(!(title=chef))(|(cn=*le goff*)(l=saint-*)))')]);

/** Entries a search yields, the time of the first search and the median over RUNS searches. */
async function measure(directory: Directory, filter: Filter): Promise<{ entries: number; first: number; ms: number }> {
  const times: number[] = [];
  let entries = 0;
  for (let run = 0; run < RUNS; run++) {
    const [elapsed, count] = await timed(async () => {
      let n = 0;
      for await (const _entry of directory.search({ base: 'dc=example,dc=org', scope: 'sub', filter, attributes: ['mail'] })) n++;
      return n;
    });
    times.push(elapsed);
    entries = count;
  }
  return { entries, first: times[0] as number, ms: median(times) };
}

const ldif = await fixtureFile();
const before = heapAfterGc();
const [loadMs, embedded] = await timed(() => EmbeddedDirectory.load(ldif));
const heap = heapAfterGc() - before;
console.log(`embedded: loaded ${embedded.size.toLocaleString('en')} entries (${PERSONS.toLocaleString('en')} persons) in ${seconds(loadMs)}; heap held ${mb(heap)}; peak RSS ${peakRss()}`);

const slapd = await startSlapd(ldif);
const ldap = new LdapDirectory({ urls: [slapd.url], bindDN: slapd.bindDN, bindPassword: slapd.password, pageSize: 1000 });
try {
  let slowest = 0;
  console.log('');
  // The embedded directory indexes an attribute when a filter first asks for it: the first search pays for it.
  console.log(`${'search (median of 5)'.padEnd(30)} ${'entries'.padStart(8)} ${'embedded'.padStart(10)} ${'(first)'.padStart(10)} ${'LDAP'.padStart(10)}  embedded/LDAP`);
  for (const [name, filter] of searches) {
    const inMemory = await measure(embedded, filter);
    const overLdap = await measure(ldap, filter);
    if (inMemory.entries !== overLdap.entries) console.log(`  ${name}: the embedded directory found ${inMemory.entries} entries, slapd ${overLdap.entries}`);
    slowest = Math.max(slowest, inMemory.ms);
    console.log(
      `${name.padEnd(30)} ${String(inMemory.entries).padStart(8)} ${ms(inMemory.ms).padStart(10)} ${ms(inMemory.first).padStart(10)} ${ms(overLdap.ms).padStart(10)}  ${(inMemory.ms / overLdap.ms).toFixed(2)}x`,
    );
  }
  console.log('');
  console.log(`peak RSS of this process: ${peakRss()}`);
  console.log(`load: ${seconds(loadMs)} (target < 3 s: ${verdict(loadMs < 3000)})`);
  console.log(`slowest search: ${ms(slowest)} (target < 100 ms: ${verdict(slowest < 100)})`);
} finally {
  await ldap.close();
  await slapd.dispose();
}
