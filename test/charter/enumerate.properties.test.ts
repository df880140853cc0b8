import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { enumerate } from '../../src/charter/enumerate.js';
import { Resolver } from '../../src/charter/resolver.js';
import { D, shippedResolver } from '../harness/families.js';
import { holds } from '../harness/property.js';
import { family, HEADER } from './helpers.js';

/** Every spelling of `words` taken `count` at a time, in every order, a word again included. */
function sequences(words: readonly string[], count: number): string[][] {
  if (count === 0) return [[]];
  return sequences(words, count - 1).flatMap((s) => words.map((w) => [...s, w]));
}

/** The names the resolver reads as spelled: those that resolve to their own address. */
function canonical(resolver: Resolver, names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    try {
      if (resolver.resolve(name + D).address === name + D) out.add(name);
    } catch {
      // Refused: a word twice, two that exclude each other, another order, too long.
    }
  }
  return out;
}

// Words long enough that three of them pass 64 octets; a literal alternative is ranked among them.
const WORDS = ['chefs', 'nuit', 'jour', 'mecaniciens-navigants', 'gendarmes-mobiles', 'plongeurs-demineurs'];

describe('enumeration: the names the resolver reads as spelled, no other', () => {
  it('lists exactly the canonical names a charter with a repetition has, within the resolver limit (random tables, orders, exclusions)', () => {
    const charter = fc.record({
      words: fc.uniqueArray(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
      orders: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
      exclusive: fc.uniqueArray(fc.nat({ max: 2 }), { maxLength: 3 }),
      strict: fc.boolean(),
      localPartMax: fc.constantFrom(24, 40, 64),
    });
    holds(
      fc.property(charter, ({ words, orders, exclusive, strict, localPartMax }) => {
        const excluded = [...new Set(exclusive.map((i) => words[i % words.length] as string))];
        const table = ['token\tfilter\tlabel\torder', ...words.map((w, i) => `${w}\t(title=${w})\t${w}\t${orders[i]}`)].join('\n');
        const demo = family(
          `${HEADER}<a> ::= 'l.' <x>+ separated by '.' matching all${strict ? ' in canonical order' : ''}${excluded.length > 1 ? ` exclusive ${excluded.join(', ')}` : ''} '-' <y>
<x> ::= table t
      | 'zeta' filter (k=z)
<y> ::= 'a' filter (y=a) | 'bb' filter (y=b)
`,
          { t: `${table}\n` },
        );
        const resolver = new Resolver([demo], { localPartMax });
        const items = [...words, 'zeta'];
        const spelled = items.flatMap((_, n) => sequences(items, n + 1)).flatMap((s) => [`l.${s.join('.')}-a`, `l.${s.join('.')}-bb`]);
        const listed = [...enumerate(demo, { localPartMax }).names];
        assert.equal(new Set(listed).size, listed.length, 'each name once');
        assert.deepEqual(new Set(listed), canonical(resolver, spelled));
      }),
      { numRuns: 100, minRuns: 20 },
    );
  });

  it('spells the canonical names of liste and no other candidate: each name of four rounds asked about once, those of three categories at most as the resolver reads them', () => {
    const resolver = shippedResolver();
    const liste = resolver.family('liste')!;
    let asked = 0;
    const listed: string[] = [];
    const accept = (name: string): boolean => {
      asked++;
      return liste.isName(name);
    };
    let round = 0;
    for (const names of enumerate(liste, { accept }).rounds) {
      if (++round > 4) break;
      listed.push(...names);
    }
    assert.equal(listed.length, 9240);
    assert.equal(asked, listed.length, 'no other order of a repetition, no word twice, no excluded pair is spelled');

    const categories = ['chefs', 'plongeurs', 'pilotes', 'gendarmes', 'mecaniciens', 'civils', 'militaires'];
    const places = ['56', 'national', 'bretagne'];
    const who = [['personnels'], ['sites'], ...[1, 2, 3].flatMap((n) => sequences(categories, n))];
    const spelled = who.flatMap((w) => places.map((p) => `liste.${w.join('.')}-${p}`));
    const threeRounds = listed.filter((name) => (/^liste\.([a-z.]+)-/.exec(name)?.[1]?.split('.').length ?? 0) <= 3);
    assert.deepEqual(new Set(threeRounds.filter((name) => places.some((p) => name.endsWith(`-${p}`)))), canonical(resolver, spelled));
  });
});
