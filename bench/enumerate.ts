/**
 * Enumeration of the shipped `liste` family, round by round (a repetition of one category, then of
 * two, ...): the names each round lists, the candidates it asks about (each a parse), the time; then
 * an export of liste from the demo directory: names read, lists expanded and kept, parses, time.
 * Prints figures; asserts nothing.
 *   npm run bench:enumerate     (or: npx tsx bench/enumerate.ts [ROUNDS], default 4)
 */
import { enumerate } from '../src/charter/enumerate.js';
import type { Family } from '../src/charter/family.js';
import { loadConfig } from '../src/config/config.js';
import { type ExportProgress, listsWithMembers } from '../src/export/index.js';
import { createLogger } from '../src/log.js';
import { buildServices } from '../src/services.js';

const rounds = Number(process.argv[2] ?? 4);
const services = await buildServices(loadConfig({ ...process.env, AUTOLIST_LOG_LEVEL: 'silent' }), { logger: createLogger('silent') });
const family = services.catalog.resolver.family('liste') as Family;

let candidates = 0;
const accept = (name: string): boolean => {
  candidates++;
  return family.isName(name);
};
let started = performance.now();
let names = 0;
let round = 0;
for (const listed of enumerate(family, { accept }).rounds) {
  if (++round > rounds) break;
  const roundStarted = performance.now();
  const before = { names, candidates };
  for (const _ of listed) names++;
  console.log(`round ${round}: ${names - before.names} names, ${candidates - before.candidates} candidates, ${(performance.now() - roundStarted).toFixed(0)} ms`);
}
console.log(`liste, ${Math.min(round, rounds)} rounds: ${names} names, ${candidates} candidates, ${(performance.now() - started).toFixed(0)} ms`);

// Every parse the export makes, counted where the family parses.
let parses = 0;
const parse = family.parse.bind(family);
family.parse = (...args) => {
  parses++;
  return parse(...args);
};
let progress: ExportProgress = { examined: 0, expanded: 0, withMembers: 0 };
started = performance.now();
const { lists } = await listsWithMembers(family, services.directory, services.membership, { limit: 200_000, onProgress: (p) => (progress = { ...p }) });
console.log(`export of liste: ${progress.examined} names read, ${parses} parses, ${progress.expanded} lists expanded, ${lists.length} kept, ${((performance.now() - started) / 1000).toFixed(1)} s`);
await services.close();
