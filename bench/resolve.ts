/**
 * Resolution throughput of the `liste` family, uncached and cached, against a single precompiled
 * RegExp that accepts the same language (the floor of what a name check can cost), run side by side.
 * Also times `autolist check` of every shipped family. Prints figures and ratios; asserts nothing.
 *   npm run bench            (or: npx tsx bench/resolve.ts)
 */
import { execFileSync } from 'node:child_process';
import { loadFamilies } from '../src/charter/load.js';
import { Resolver } from '../src/charter/resolver.js';

const D = '@lists.example.org';
const CATEGORIES = ['chefs', 'plongeurs', 'pilotes', 'gendarmes', 'mecaniciens', 'civils', 'militaires'];
const REGIONS = ['idf', 'paca', 'bretagne', 'ara', 'corse', 'hdf', 'normandie', 'occitanie', 'naq', 'ge', 'bfc', 'cvl', 'pdl'];
const DEPARTMENT = '0[1-9]|1[0-9]|2[1-9ab]|[3-8][0-9]|9[0-5]';
const LANGUAGE = new RegExp(
  `^liste\\.(?:personnels|sites|(?:${CATEGORIES.join('|')})(?:\\.(?:${CATEGORIES.join('|')}))*)-(?:national|${DEPARTMENT}|${REGIONS.join('|')}|site-[a-z0-9][a-z0-9-]*)${D.replace('.', '\\.')}$`,
);

/** A deterministic mix: two valid names for one invalid. */
function addresses(count: number): string[] {
  const out: string[] = [];
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const valid = (): string => {
    const who = next(4) === 0 ? 'personnels' : [CATEGORIES[next(7)], ...(next(3) === 0 ? [CATEGORIES[next(7)]] : [])].join('.');
    const kind = next(4);
    const where = kind === 0 ? String(1 + next(95)).padStart(2, '0') : kind === 1 ? REGIONS[next(REGIONS.length)] : kind === 2 ? `site-town${next(500)}` : 'national';
    return `liste.${who}-${where}${D}`;
  };
  for (let i = 0; i < count; i++) {
    const name = valid();
    if (i % 3 === 2) {
      const p = 6 + next(name.length - D.length - 6);
      out.push(name.slice(0, p) + 'xq*'[next(3)] + name.slice(p + 1));
    } else out.push(name);
  }
  return out;
}

function rate(label: string, inputs: string[], rounds: number, work: (a: string) => void): number {
  for (const a of inputs.slice(0, 2000)) work(a); // warm up the JIT
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const a of inputs) work(a);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const perSecond = (inputs.length * rounds) / seconds;
  console.log(`${label.padEnd(34)} ${Math.round(perSecond).toLocaleString('en').padStart(12)} /s`);
  return perSecond;
}

const families = loadFamilies('families');
const inputs = addresses(20_000);
const agree = inputs.filter((a) => {
  let ok = true;
  try {
    new Resolver(families, { cacheEntries: 0 }).resolve(a);
  } catch {
    ok = false;
  }
  return ok === LANGUAGE.test(a);
}).length;
console.log(`inputs: ${inputs.length} addresses (2 valid : 1 invalid); the RegExp agrees with the charter on ${agree}`);

const regexRate = rate('baseline: one precompiled RegExp', inputs, 20, (a) => LANGUAGE.test(a));
const uncached = new Resolver(families, { cacheEntries: 0 });
const uncachedRate = rate('resolve, uncached', inputs, 1, (a) => {
  try {
    uncached.resolve(a);
  } catch {
    /* refused: part of the mix */
  }
});
const cached = new Resolver(families, { cacheEntries: 50_000 });
const cachedRate = rate('resolve, cached', inputs, 50, (a) => {
  try {
    cached.resolve(a);
  } catch {
    /* refused: part of the mix */
  }
});

const checkStarted = performance.now();
execFileSync('npx', ['tsx', 'src/cli/main.ts', 'check'], { stdio: 'ignore' });
const checkMs = performance.now() - checkStarted;
const compileStarted = performance.now();
loadFamilies('families');
const compileMs = performance.now() - compileStarted;

console.log('');
console.log(`uncached: ${Math.round(uncachedRate).toLocaleString('en')}/s, ${(uncachedRate / regexRate).toFixed(4)}x the RegExp (target >= 50,000/s: ${uncachedRate >= 50_000 ? 'met' : 'NOT met'})`);
console.log(`cached:   ${Math.round(cachedRate).toLocaleString('en')}/s, ${(cachedRate / regexRate).toFixed(4)}x the RegExp (target >= 2,000,000/s: ${cachedRate >= 2_000_000 ? 'met' : 'NOT met'})`);
console.log(`autolist check, whole process (tsx start-up included): ${Math.round(checkMs)} ms; compiling the families in-process: ${Math.round(compileMs)} ms (target < 1 s: ${compileMs < 1000 ? 'met' : 'NOT met'})`);
