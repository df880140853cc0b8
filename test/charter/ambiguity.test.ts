import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileFamily } from '../../src/charter/compile.js';
import { loadFamilies, loadSharedConditions, readFamilySource } from '../../src/charter/load.js';
import { family, HEADER, problems } from './helpers.js';

/** The one diagnostic of a charter that check must refuse. */
function refusal(text: string, lexicons: Record<string, string> = {}): string {
  const found = problems(HEADER + text, lexicons);
  assert.equal(found.length, 1, found.join('\n'));
  return found[0] as string;
}

const towns = (tokens: string[]): Record<string, string> => ({ t: `token\tfilter\tlabel\n${tokens.map((t) => `${t}\t(l=${t})\t${t}`).join('\n')}\n` });

describe('autolist check refuses grammars that read a name in unboundedly many ways', () => {
  // Each shape at file:line:col of the construct to blame, and naming it. Line 5 holds <x> ::= /.../,
  // whose opening slash is at column 9: a quantifier at offset k of the expression is at column 10 + k.
  const classic: Array<[string, RegExp]> = [
    ['(a+)+b', /^demo\.charter:5:10: "\(a\+\)\+" in \/\(a\+\)\+b\/ can read a name in exponentially many ways: it repeats "a\+" .*\(line 5, column 11\)/],
    ['([a-zA-Z]+)*', /^demo\.charter:5:10: "\(\[a-zA-Z\]\+\)\*" in .* exponentially many ways: it repeats "\[a-zA-Z\]\+"/],
    ['(a|aa)+', /^demo\.charter:5:10: "\(a\|aa\)\+" in \/\(a\|aa\)\+\/ can read a name in exponentially many ways: "a+" can be read in two ways/],
    ['(a|a?)+', /^demo\.charter:5:10: "\(a\|a\?\)\+" in .* repeats a part that can be empty/],
    ['(.*a){11}', /^demo\.charter:5:10: "\(\.\*a\)\{11\}" in \/\(\.\*a\)\{11\}\/ can read a name in exponentially many ways/],
    ['(a*)*b', /^demo\.charter:5:10: "\(a\*\)\*" in \/\(a\*\)\*b\/ repeats a part that can be empty/],
    ['(a|a)*b', /^demo\.charter:5:10: "\(a\|a\)\*" in \/\(a\|a\)\*b\/ can read a name in exponentially many ways: "a+" can be read in two ways/],
    ['([a-z]+)*x', /^demo\.charter:5:10: "\(\[a-z\]\+\)\*" in \/\(\[a-z\]\+\)\*x\/ can read a name in exponentially many ways/],
    ['\\d+\\d+', /^demo\.charter:5:10: "\\d\+" in \/\\d\+\\d\+\/ and "\\d\+" in \/\\d\+\\d\+\/ \(line 5, column 13\) can read a name in polynomially many ways: both repeat "0"/],
    ['[a-z]*x[a-z]*', /^demo\.charter:5:10: "\[a-z\]\*" .* and "\[a-z\]\*" .* \(line 5, column 17\) can read a name in polynomially many ways/],
    ['(a{1,64}){1,64}', /^demo\.charter:5:10: "\(a\{1,64\}\)\{1,64\}" .* exponentially many ways: it repeats "a\{1,64\}"/],
    ['a{1,3000000}', /^demo\.charter:5:10: the repetition "a\{1,3000000\}" counts up to 3000000; at most 64/],
    ['a{100}', /^demo\.charter:5:10: the repetition "a\{100\}" counts up to 100/],
  ];
  for (const [source, expected] of classic) {
    it(`refuses /${source}/`, () => {
      assert.match(refusal(`<a> ::= 'evil.' <x>\n<x> ::= /${source}/\n`), expected);
    });
  }

  it('refuses a repeated part that can contain its own separator, at the repetition', () => {
    assert.match(
      refusal(`<a> ::= 'list.' <x>+ separated by '.'\n<x> ::= /[a-z.]+/\n`),
      /^demo\.charter:4:17: <x>\+ separated by '\.' can read a name in exponentially many ways: its repeated part can contain the separator '\.'/,
    );
    assert.match(
      refusal(`<a> ::= 'list.' <x>+ separated by '.'\n<x> ::= table t\n`, towns(['a', 'b', 'a.b'])),
      /^demo\.charter:4:17: <x>\+ separated by '\.' can read a name in exponentially many ways: its repeated part can contain the separator/,
    );
  });

  it('refuses lexicon tokens that overlap under a repetition, and an optional part repeated', () => {
    assert.match(
      refusal(`<a> ::= 'list.' <x>+\n<x> ::= table t\n`, towns(['ab', 'abab'])),
      /^demo\.charter:4:17: <x>\+ can read a name in exponentially many ways: "(abab|baba)" can be read in two ways/,
    );
    assert.match(refusal(`<a> ::= 'list.' [<x>]+ separated by ''\n<x> ::= 'y'\n`), /^demo\.charter:4:17: \[\.\.\.\]\+ repeats a part that can be empty/);
  });

  it('refuses a part that reads the empty text in two ways inside a repetition (found by random families)', () => {
    assert.match(
      refusal(`<a> ::= 'p.' <x>+ separated by '.'\n<x> ::= /(a{0,64})?/\n`),
      /^demo\.charter:5:10: "\(a\{0,64\}\)\?" in \/\(a\{0,64\}\)\?\/ can read the empty text in two ways, inside <x>\+ separated by '\.' \(line 4, column 14\): each repetition doubles the readings/,
    );
    // Outside a repetition that is two readings at most: kept.
    assert.doesNotThrow(() => family(`${HEADER}<a> ::= 'p.' <x>\n<x> ::= /a(b?)?/\n`));
  });

  it('refuses two loops that can share the same characters, across rules', () => {
    assert.match(
      refusal(`<a> ::= <b> ['-' <c>]\n<b> ::= /[a-z-]+/\n<c> ::= /[a-z-]+/\n`),
      /^demo\.charter:5:10: "\[a-z-\]\+" in \/\[a-z-\]\+\/ and "\[a-z-\]\+" in \/\[a-z-\]\+\/ \(line 6, column 10\) can read a name in polynomially many ways/,
    );
    // Only the last '-' can part them when the second cannot hold one: two readings at most, kept.
    assert.doesNotThrow(() => family(`${HEADER}<a> ::= <b> ['-' <c>]\n<b> ::= /[a-z-]+/\n<c> ::= /[a-z]+/\n`));
  });

  it('refuses recursive rules (they would make the language more than regular)', () => {
    assert.match(refusal(`<a> ::= 'x' <b>\n<b> ::= 'y' | '(' <a> ')'\n`), /^demo\.charter:5:19: <a> refers to itself \(<a> -> <b> -> <a>\): rules cannot recurse/);
  });

  it('reads letters in either case, as addresses are read: /(a|A)+/ overlaps', () => {
    assert.match(refusal(`<a> ::= 'x' <x>\n<x> ::= /(a|A)+/\n`), /exponentially many ways/);
  });
});

describe('autolist check keeps what reads names in few ways', () => {
  it('accepts the shipped families and the test families', () => {
    assert.deepEqual(
      loadFamilies('families').map((f) => f.name),
      ['auto', 'liste'],
    );
    assert.equal(compileFamily(readFamilySource('test/fixtures/families/equipe'), loadSharedConditions('families')).name, 'equipe');
  });

  it('accepts finite ambiguity (two readings), which examples and LIST_AMBIGUOUS report', () => {
    const f = family(`${HEADER}<a> ::= <b> [<c>]\n<b> ::= 'x' | 'xy' filter (b=1)\n<c> ::= 'y' filter (c=1)\n`);
    const outcome = f.parse('xy');
    assert.ok(outcome.ok);
    assert.equal(outcome.derivations.length, 2);
  });

  it('accepts loops kept apart by what lies between them, bounded counts and lexicon repetitions', () => {
    for (const text of [
      `<a> ::= /[a-z]+/ '.' /[a-z]+/\n`,
      `<a> ::= /[a-z]+/ /[0-9]+/\n`,
      `<a> ::= /[a-z0-9][a-z0-9-]*/\n`,
      `<a> ::= /a{64}/\n`,
      `<a> ::= /[0-9]{1,3}(\\.[0-9]{1,3}){3}/\n`,
      `<a> ::= 'list.' <x>+ separated by '.' ['-' /[a-z]+/]\n<x> ::= /[a-z]+/\n`,
    ]) {
      assert.doesNotThrow(() => family(HEADER + text), text);
    }
    assert.doesNotThrow(() => family(`${HEADER}<a> ::= 'list.' <x>+\n<x> ::= table t\n`, towns(['ab', 'abc', 'b'])));
  });
});
