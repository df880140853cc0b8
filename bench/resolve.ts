/**
 * Resolution throughput of the `liste` family, uncached and cached, against a single precompiled
 * RegExp that accepts the same language (the floor of what a name check can cost), run side by side.
 * Also times `autolist check` of every shipped family, and the worst resolution time of hostile 64-octet
 * names (each family's characters repeated, separators, near misses) against the RegExp on the same
 * names. Prints figures and ratios; asserts nothing.
 *   npm run bench            (or: npx tsx bench/resolve.ts)
 */
import { execFileSync } from 'node:child_process';
import type { Family } from '../src/charter/family.js';
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

/** 64-octet local parts made to be hard for a family: its characters repeated, in pairs, after valid prefixes, near misses. */
function hostileLocals(family: Family): string[] {
  const prefixes = new Set<string>(['']);
  for (const example of family.examples) {
    const local = example.address.split('@')[0] as string;
    for (let k = 1; k < local.length; k++) prefixes.add(local.slice(0, k));
  }
  const out: string[] = [];
  for (const prefix of prefixes) {
    for (const c of family.alphabet()) {
      const room = 64 - prefix.length;
      for (const unit of [c, `${c}.`, `${c}-`, `${c}a`]) {
        const body = unit.repeat(Math.ceil(room / unit.length)).slice(0, room);
        out.push(prefix + body, `${prefix + body.slice(0, -1)}!`);
      }
    }
  }
  return out;
}

/** The slowest of `inputs` under `work`, each timed as the median of five runs, in milliseconds. */
function worst(inputs: string[], work: (a: string) => void): { input: string; ms: number } {
  let slowest = { input: '', ms: 0 };
  for (const input of inputs) {
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const started = process.hrtime.bigint();
      work(input);
      runs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const ms = runs.sort((a, b) => a - b)[2] as number;
    if (ms > slowest.ms) slowest = { input, ms };
  }
  return slowest;
}

/** The fewest Earley states a family needs to read a name (the budget it would pass with), by bisection. */
function statesNeeded(family: Family, local: string): number {
  let low = 0;
  let high = family.parseBudget;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    try {
      family.parse(local, mid);
      high = mid;
    } catch {
      low = mid + 1;
    }
  }
  return low;
}

console.log('');
const hostile = new Resolver(families, { cacheEntries: 0 });
const worstRows: Array<{ family: string; ms: number }> = [];
for (const family of families) {
  const locals = hostileLocals(family);
  const domain = family.header.domains[0] as string;
  const resolved = worst(locals, (local) => {
    try {
      hostile.resolve(`${local}@${domain}`);
    } catch {
      /* refused: most hostile names are */
    }
  });
  const regex = worst(locals, (local) => LANGUAGE.test(`${local}@${domain}`));
  const states = Math.max(...locals.map((local) => statesNeeded(family, local)));
  worstRows.push({ family: family.name, ms: resolved.ms });
  console.log(
    `hostile 64-octet names, ${family.name}: ${locals.length} names; worst ${resolved.ms.toFixed(3)} ms (${JSON.stringify(resolved.input.slice(0, 24))}...), ` +
      `${(resolved.ms / Math.max(regex.ms, 1e-6)).toFixed(0)}x the RegExp's worst (${(regex.ms * 1000).toFixed(1)} µs); at most ${states} Earley states of a budget of ${family.parseBudget}`,
  );
}
const worstMs = Math.max(...worstRows.map((r) => r.ms));

const checkStarted = performance.now();
execFileSync('npx', ['tsx', 'src/cli/main.ts', 'check'], { stdio: 'ignore' });
const checkMs = performance.now() - checkStarted;
const compileStarted = performance.now();
loadFamilies('families');
const compileMs = performance.now() - compileStarted;

console.log('');
console.log(`uncached: ${Math.round(uncachedRate).toLocaleString('en')}/s, ${(uncachedRate / regexRate).toFixed(4)}x the RegExp (target >= 50,000/s: ${uncachedRate >= 50_000 ? 'met' : 'NOT met'})`);
console.log(`cached:   ${Math.round(cachedRate).toLocaleString('en')}/s, ${(cachedRate / regexRate).toFixed(4)}x the RegExp (target >= 2,000,000/s: ${cachedRate >= 2_000_000 ? 'met' : 'NOT met'})`);
console.log(`hostile 64-octet names: worst resolution ${worstMs.toFixed(3)} ms (target < 5 ms: ${worstMs < 5 ? 'met' : 'NOT met'})`);
console.log(
  `autolist check, whole process (tsx start-up included): ${Math.round(checkMs)} ms; compiling the families in-process: ${Math.round(compileMs)} ms (target < 1 s: ${compileMs < 1000 ? 'met' : 'NOT met'})`,
);
