import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import pino from 'pino';
import { buildAddressGrammar } from '../../src/charter/address-grammar.js';
import { compileRules } from '../../src/charter/compile-rules.js';
import { AddressTooComplexError, AddressTooLongError, CharterError } from '../../src/charter/errors.js';
import { Family } from '../../src/charter/family.js';
import { loadFamilies } from '../../src/charter/load.js';
import { parseCharter } from '../../src/charter/parse-charter.js';
import { Problems } from '../../src/charter/problems.js';
import { Resolver } from '../../src/charter/resolver.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import type { RuleStatement } from '../../src/charter/syntax.js';
import { D } from '../harness/families.js';
import { family, HEADER } from './helpers.js';

/** A family whose grammar is compiled without `autolist check`'s ambiguity analysis: only the run-time bound stands. */
function unchecked(rules: string): Family {
  const base = family(`${HEADER}<a> ::= 'x'\n`);
  const statements = parseCharter(HEADER + rules, 'demo.charter').filter((s): s is RuleStatement => s.type === 'rule');
  const grammar = compileRules(statements, new Map(), new Problems('demo.charter'));
  return new Family(base.header, grammar.rules, base.rights, buildAddressGrammar(grammar.rules, grammar.start));
}

/** A pino logger whose lines are kept, parsed. */
function recordingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

/** Local parts of 64 octets made to be hard: one character repeated, pairs and separators, near misses. */
function hostileLocals(prefix: string, alphabet: string[]): string[] {
  const room = 64 - prefix.length;
  const fill = (unit: string): string => unit.repeat(Math.ceil(room / unit.length)).slice(0, room);
  const out: string[] = [];
  for (const c of alphabet) {
    out.push(prefix + fill(c));
    out.push(`${prefix + fill(c).slice(0, -1)}!`);
    for (const d of ['.', '-', 'a', '0']) if (d !== c) out.push(prefix + fill(c + d));
  }
  return out;
}

describe('resolution is bounded at run time', () => {
  const shipped = loadFamilies('families');

  it('refuses a local part over 64 octets (or the configured cap) unread, and does not cache it', () => {
    const resolver = new Resolver(shipped);
    const long = `liste.chefs-site-${'a'.repeat(64 - 'liste.chefs-site-'.length + 1)}${D}`;
    const first = (() => {
      try {
        resolver.resolve(long);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    assert.ok(first instanceof AddressTooLongError);
    assert.equal(first.code, 'ADDRESS_TOO_LONG');
    assert.equal(first.temporary, false);
    assert.match(first.message, /65 octets, at most 64/);
    // A cached error is the same object every time (caches results, good and bad): this one is made anew.
    assert.throws(
      () => resolver.resolve(long),
      (error) => error instanceof AddressTooLongError && error !== first,
    );
    // Octets, not characters: 32 é are 64 octets, 33 are 66.
    assert.throws(() => resolver.resolve(`${'é'.repeat(33)}${D}`), AddressTooLongError);
    assert.doesNotThrow(() => resolver.resolve(`liste.chefs-site-${'a'.repeat(64 - 'liste.chefs-site-'.length)}${D}`));

    const capped = new Resolver(shipped, { localPartMax: 20 });
    assert.throws(() => capped.resolve(`liste.civils.chefs-56${D}`), /21 octets, at most 20/);
    assert.equal(capped.resolve(`liste.chefs-56${D}`).filterText, '(&(title=chef)(departmentNumber=56))');
  });

  it('takes the cap from AUTOLIST_LOCAL_PART_MAX, a whole number from 1 to 250', () => {
    assert.equal(loadConfig({}).localPartMax, 64);
    assert.equal(loadConfig({ AUTOLIST_LOCAL_PART_MAX: '128' }).localPartMax, 128);
    for (const bad of ['0', '251', '64.5', '0x40', ' 64']) {
      assert.throws(
        () => loadConfig({ AUTOLIST_LOCAL_PART_MAX: bad }),
        (error) => error instanceof ConfigError && /AUTOLIST_LOCAL_PART_MAX=.*expected a whole number from 1 to 250/.test(error.message),
        bad,
      );
    }
  });

  it('stops a parse past its budget of Earley states with ADDRESS_TOO_COMPLEX and a warning naming the family', () => {
    const { logger, lines } = recordingLogger();
    // liste.chefs-56 takes 69 states, the longer name 146.
    const resolver = new Resolver(shipped, { parseBudget: 100, logger });
    assert.equal(resolver.resolve(`liste.chefs-56${D}`).family, 'liste');
    let refused: unknown;
    try {
      resolver.resolve(`liste.civils.chefs.pilotes.gendarmes-56${D}`);
    } catch (error) {
      refused = error;
    }
    assert.ok(refused instanceof AddressTooComplexError);
    assert.equal(refused.code, 'ADDRESS_TOO_COMPLEX');
    assert.equal(refused.family, 'liste');
    assert.equal(refused.budget, 100);
    assert.deepEqual(
      lines.map((l) => [l.level, l.code, l.family]),
      [[40, 'ADDRESS_TOO_COMPLEX', 'liste']],
    );
    // Cached like any result: the same error again, without parsing (nor warning) twice.
    assert.throws(
      () => resolver.resolve(`liste.civils.chefs.pilotes.gendarmes-56${D}`),
      (error) => error === refused,
    );
    assert.equal(lines.length, 1);
  });

  it('warns of names too complex at most once a minute per family: a flood of them does not flood the log', () => {
    const { logger, lines } = recordingLogger();
    const resolver = new Resolver(shipped, { parseBudget: 100, logger });
    for (let i = 0; i < 50; i++) {
      assert.throws(() => resolver.resolve(`liste.civils.chefs.pilotes.gendarmes-${10 + i}${D}`), AddressTooComplexError);
    }
    assert.deepEqual(
      lines.map((l) => [l.level, l.code, l.family]),
      [[40, 'ADDRESS_TOO_COMPLEX', 'liste']],
    );
  });

  it('bounds a grammar that check refuses: /(a+)+b/ over 64 octets, nullable loops, a separator swallowed', () => {
    // With a short name each grammar reads, as before; a nullable loop blows up as soon as it is reached.
    const cases: Array<[string, string, string | undefined]> = [
      [`<a> ::= 'evil.' <x>\n<x> ::= /(a+)+b/\n`, `evil.${'a'.repeat(59)}`, 'evil.aab'],
      [`<a> ::= 'evil.' <x>\n<x> ::= /(a?)*b/\n`, 'evil.aab', undefined],
      [`<a> ::= 'evil.' <x>+ separated by '.'\n<x> ::= /[a-z.]+/\n`, `evil.${'a.'.repeat(29)}!`, 'evil.a.b'],
      [`<a> ::= 'evil.' <x>\n<x> ::= /(a|aa)+/\n`, `evil.${'a'.repeat(59)}`, 'evil.aaa'],
      // Nullable loops whose completions each wake thousands of waiting states: without counting the
      // states of the column being read, this one filled 1.5 GB before its first character.
      [`<a> ::= 'evil.' <x>+ separated by '-'\n<x> ::= /([a-c]*)*(A?|[^.]a)*-/\n`, 'evil.a', undefined],
      // The same at the very start: the first column is read within the budget too.
      [`<a> ::= <x>+ separated by '-'\n<x> ::= /([a-c]*)*(A?|[^.]a)*-/\n`, 'a', undefined],
    ];
    for (const [rules, local, short] of cases) {
      const evil = unchecked(rules);
      assert.throws(
        () => evil.parse(local),
        (error) => error instanceof AddressTooComplexError && error.budget === evil.parseBudget,
        rules,
      );
      const { logger, lines } = recordingLogger();
      assert.throws(() => new Resolver([evil], { logger }).resolve(local + D), AddressTooComplexError);
      assert.equal(lines[0]?.family, 'demo');
      if (short) assert.ok(evil.parse(short).ok, short);
    }
  });

  it('reads every hostile 64-octet name of the shipped families well within the budget', () => {
    const alphabet = [...'abcdefghijklmnopqrstuvwxyz0123456789.-_'];
    const resolver = new Resolver(shipped, { cacheEntries: 0 });
    let read = 0;
    for (const prefix of ['', 'liste.', 'liste.chefs-', 'liste.chefs-site-', 'auto-', 'auto-cio.']) {
      for (const local of hostileLocals(prefix, alphabet)) {
        for (const f of shipped) f.parse(local, 2_000); // under a tenth of the default budget
        try {
          resolver.resolve(local + D);
        } catch (error) {
          assert.ok(!(error instanceof AddressTooComplexError), `${local}: ${String(error)}`);
        }
        read++;
      }
    }
    assert.ok(read > 1000, `${read} names read`);
  });
});

describe('families made at random', () => {
  const atom = fc.constantFrom('a', 'b', '[a-c]', '[a-z]', '\\d', '.', '-', '[a-z.]', '[^.]', 'A');
  const quantifier = fc.constantFrom('', '', '', '+', '*', '?', '{1,3}', '{2}', '{0,64}');
  const piece = fc.tuple(atom, quantifier).map(([a, q]) => a + q);
  const group = fc
    .tuple(fc.array(piece, { minLength: 1, maxLength: 2 }), fc.array(piece, { minLength: 0, maxLength: 2 }), quantifier)
    .map(([left, right, q]) => `(${left.join('')}${right.length > 0 ? `|${right.join('')}` : ''})${q}`);
  const regex = fc.array(fc.oneof(piece, group), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('').replaceAll('/', ''));
  const grammar = fc.oneof(
    regex.map((r) => `<a> ::= 'p.' <x>\n<x> ::= /${r}/\n`),
    fc.tuple(regex, fc.constantFrom('.', '-')).map(([r, s]) => `<a> ::= 'p.' <x>+ separated by '${s}'\n<x> ::= /${r}/\n`),
    fc.tuple(regex, regex).map(([r, s]) => `<a> ::= 'p.' <x> ['-' <y>]\n<x> ::= /${r}/\n<y> ::= /${s}/\n`),
    fc.tuple(regex, regex).map(([r, s]) => `<a> ::= 'p.' <x> <y>\n<x> ::= /${r}/\n<y> ::= /${s}/\n`),
  );

  it('every family check accepts reads hostile 64-octet names within the budget; every one it refuses is reported', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(grammar, (rules) => {
        let f: Family;
        try {
          f = family(HEADER + rules);
        } catch (error) {
          assert.ok(error instanceof CharterError, `${rules}: ${String(error)}`);
          assert.ok(error.diagnostics.length > 0);
          for (const d of error.diagnostics) assert.ok(d.line >= 4 && d.col >= 1 && d.message.length > 0, JSON.stringify(d));
          refused++;
          return;
        }
        accepted++;
        for (const local of hostileLocals('p.', ['a', 'b', 'c', 'z', '0', '.', '-', 'ab', 'a.', 'a-'])) {
          // Throws AddressTooComplexError past the budget, which fails the property.
          f.parse(local);
        }
      }),
      { numRuns: 300 },
    );
    assert.ok(accepted >= 30 && refused >= 30, `accepted ${accepted}, refused ${refused}`);
  });
});
