import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AddressTooLongError } from '../../src/charter/errors.js';
import { enumerate } from '../../src/charter/enumerate.js';
import { AutolistError } from '../../src/errors.js';
import { parseFilter } from '../../src/filter/index.js';
import { D, shippedResolver } from '../harness/families.js';

const resolver = shippedResolver();
const HOSTILE = ['*', '(', ')', '\\', '\0', '"', '@', '+', 'é', '\u202e', '\n', '\r', ' ', '.', '-', '%', '\udc00'];

/** Resolves, and checks that the outcome is a definition with a valid filter or a typed error. */
function resolvesOrRefuses(address: string): void {
  let list: ReturnType<typeof resolver.resolve>;
  try {
    list = resolver.resolve(address);
  } catch (error) {
    assert.ok(error instanceof AutolistError, `${JSON.stringify(address)}: ${String(error)}`);
    assert.equal(error.temporary, false);
    assert.ok(!/[\0\n\r]/.test(error.message), 'messages carry no raw control characters');
    JSON.stringify(error.toJSON());
    return;
  }
  assert.equal(parseFilter(list.filterText).toString(), list.filterText);
}

const validNames = (name: string, limit: number): string[] => {
  const out: string[] = [];
  for (const n of enumerate(resolver.family(name)!).names) {
    out.push(n);
    if (out.length >= limit) break;
  }
  return out;
};

describe('hostile addresses', () => {
  it('any string resolves or gets a typed error, never a crash', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => resolvesOrRefuses(s)),
      { numRuns: 700 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => resolvesOrRefuses(s + D)),
      { numRuns: 700 },
    );
  });

  it('mutated valid names resolve or are refused; filters built from them re-parse', () => {
    const names = validNames('liste', 3000);
    const mutation = fc.tuple(fc.constantFrom(...names), fc.nat(), fc.constantFrom(...HOSTILE), fc.constantFrom('insert', 'replace', 'delete'));
    fc.assert(
      fc.property(mutation, ([name, at, ch, op]) => {
        const p = at % (name.length + 1);
        const mutated = op === 'insert' ? name.slice(0, p) + ch + name.slice(p) : op === 'replace' ? name.slice(0, p) + ch + name.slice(p + 1) : name.slice(0, p) + name.slice(p + 1);
        resolvesOrRefuses(mutated + D);
      }),
      { numRuns: 800 },
    );
  });

  it('text from the address is escaped in the filter', () => {
    const list = resolver.resolve(`liste.chefs-site-a-b${D}`);
    assert.equal(list.filterText, '(&(title=chef)(l=a-b))');
    assert.throws(() => resolver.resolve(`liste.chefs-site-a*)(uid=*${D}`), /no such list/);
  });
});

describe('generated valid names', () => {
  it('every enumerated name of the shipped families resolves to itself, and its filter re-parses', () => {
    for (const family of ['auto', 'liste']) {
      const names = validNames(family, 20_000);
      assert.ok(names.length > 200, family);
      for (const name of names) {
        const list = resolver.resolve(name + D);
        assert.equal(list.family, family);
        assert.equal(list.address, name + D, 'a name enumerated is canonical');
        assert.equal(parseFilter(list.filterText).toString(), list.filterText, name);
      }
    }
  });

  it('random towns and category combinations resolve, in any order to the one canonical address', () => {
    // The table's order: the order column (1 for the trades, 2 for civils and militaires), then the line.
    const CATEGORIES = ['chefs', 'plongeurs', 'pilotes', 'gendarmes', 'mecaniciens', 'civils', 'militaires'];
    const categories = fc.uniqueArray(fc.constantFrom(...CATEGORIES), { minLength: 1, maxLength: 4 }).filter((c) => !(c.includes('civils') && c.includes('militaires')));
    const town = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/);
    fc.assert(
      fc.property(categories, town, (cats, t) => {
        const local = `liste.${cats.join('.')}-site-${t}`;
        if (local.length > 64) {
          assert.throws(() => resolver.resolve(local + D), AddressTooLongError);
          return;
        }
        const list = resolver.resolve(local + D);
        assert.ok(list.filterText.endsWith(`(l=${t}))`));
        const canonical = [...cats].sort((a, b) => CATEGORIES.indexOf(a) - CATEGORIES.indexOf(b));
        assert.equal(list.address, `liste.${canonical.join('.')}-site-${t}${D}`);
      }),
      { numRuns: 500 },
    );
  });
});

describe('enumerate', () => {
  it('lists a finite family whole, one spelling per number', () => {
    const result = enumerate(resolver.family('auto')!);
    assert.equal(result.finite, true);
    const names = [...result.names];
    assert.equal(names.length, 3 * 80);
    assert.ok(names.includes('auto-cio.40') && !names.includes('auto-cio.040'));
  });

  it('says why a family is infinite and lists it by rounds', () => {
    const result = enumerate(resolver.family('liste')!);
    assert.equal(result.finite, false);
    assert.deepEqual(result.open, ['/[a-z0-9][a-z0-9-]*/ (no bounds)', 'repetitions']);
    const first = validNames('liste', 5);
    assert.deepEqual(first, ['liste.personnels-national', 'liste.personnels-01', 'liste.personnels-02', 'liste.personnels-03', 'liste.personnels-04']);
  });
});
