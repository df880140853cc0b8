import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CharterError } from '../../src/charter/errors.js';
import { parseCharter } from '../../src/charter/parse-charter.js';
import type { Statement } from '../../src/charter/syntax.js';
import { PROJECT_ROOT } from '../../src/config/config.js';
import { holds } from '../harness/property.js';

/** Parses, or checks that the refusal is a CharterError whose every diagnostic is at a place inside the text. */
function parsedOrDiagnosed(source: string): Statement[] | undefined {
  try {
    return parseCharter(source, 'fuzz.charter');
  } catch (error) {
    assert.ok(error instanceof CharterError, `${JSON.stringify(source)}: ${String(error)}`);
    assert.equal(error.code, 'CHARTER_INVALID');
    assert.ok(error.diagnostics.length > 0);
    const lines = source.split('\n');
    for (const d of error.diagnostics) {
      assert.equal(d.file, 'fuzz.charter');
      assert.ok(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines.length, `line ${d.line} of ${lines.length}: ${JSON.stringify(source)}`);
      const length = (lines[d.line - 1] as string).length;
      assert.ok(Number.isInteger(d.col) && d.col >= 1 && d.col <= length + 1, `col ${d.col} of a line of ${length}: ${JSON.stringify(source)}`);
      assert.ok(d.message.length > 0 && !d.message.includes('\n'), d.message);
    }
    return undefined;
  }
}

/** One generated statement: its tokens, its type and (for a header) the values it must read back. */
interface Generated {
  type: Statement['type'];
  tokens: string[];
  key?: string;
  values?: string[];
}

const KEYWORDS = new Set(['filter', 'matches']);
const word = fc.stringMatching(/^[a-z][a-z0-9_.@-]{0,8}$/).filter((w) => !KEYWORDS.has(w));
/** A quoted string and the text it stands for: any character but a line end, `"` and `\` escaped. */
const quoted = fc
  .string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('"', '\\', "'", '{', '}', 'é')), maxLength: 16 })
  .map((s) => s.replace(/\n/g, ''))
  .chain((content) => fc.constantFrom(`"${content.replace(/["\\]/g, '\\$&')}"`, `'${content.replace(/['\\]/g, '\\$&')}'`).map((token) => ({ token, content })));
const ruleName = fc.stringMatching(/^<[A-Za-z_][A-Za-z0-9_-]{0,8}>$/);
const regex = fc.constantFrom('/[0-9][0-9]/', '/[a-z]+/', '/2[ab]/', '/[a-z0-9][a-z0-9-]*/', '/a\\/b/');
const filter = fc.constantFrom('(title=chef)', '(&(l={town})(cn=a\\2a))', '(|(a=1)(!(b=2)))', '(departmentNumber={text|upper})', '(x=(y))');
const range = fc.tuple(fc.nat({ max: 50 }), fc.nat({ max: 50 })).map(([a, b]) => `${a}..${a + b}`);

const HEADER_KEYS = ['family', 'domain', 'base', 'scope', 'member-attribute', 'alternate-addresses', 'priority', 'cache-ttl', 'description', 'subject', 'owners', 'empty-lists', 'senders'];
const value = fc.oneof(
  word.map((w) => ({ token: w, content: w })),
  quoted,
);
const header: fc.Arbitrary<Generated> = fc.tuple(fc.constantFrom(...HEADER_KEYS), fc.array(value, { minLength: 1, maxLength: 3 })).map(([key, values]) => ({
  type: 'header',
  key,
  tokens: [key, ...values.flatMap((v, i) => (i === 0 ? [v.token] : [',', v.token]))],
  values: values.map((v) => v.content),
}));

const alternatives = fc.letrec<{ alternatives: string[]; alternative: string[]; item: string[]; atom: string[] }>((tie) => ({
  alternatives: fc.array(tie('alternative'), { minLength: 1, maxLength: 3 }).map((alts) => alts.flatMap((a, i) => (i === 0 ? a : ['|', ...a]))),
  alternative: fc.tuple(fc.array(tie('item'), { minLength: 1, maxLength: 3 }), fc.option(filter), fc.option(quoted), fc.boolean()).map(([items, f, label, labelFirst]) => {
    const annotations = [...(f === null ? [] : [['filter', f]]), ...(label === null ? [] : [['label', label.token]])];
    return [...items.flat(), ...(labelFirst ? annotations.reverse() : annotations).flat()];
  }),
  item: fc
    .tuple(tie('atom'), fc.constantFrom('', '+', '+sep', '+any', '+both'))
    .map(([atom, repeat]) =>
      repeat === '' ? atom : [...atom, '+', ...(repeat === '+sep' || repeat === '+both' ? ['separated', 'by', "'.'"] : []), ...(repeat === '+any' || repeat === '+both' ? ['matching', 'any'] : [])],
    ),
  atom: fc.oneof(
    { depthSize: 'small' },
    quoted.map((q) => [q.token]),
    ruleName.map((r) => [r]),
    fc.tuple(regex, fc.array(range, { maxLength: 3 })).map(([r, ranges]) => [r, ...(ranges.length ? ['in', ...ranges.flatMap((x, i) => (i === 0 ? [x] : [',', x]))] : [])]),
    word.map((w) => ['table', w]),
    tie('alternatives').map((alts) => ['[', ...alts, ']']),
  ),
})).alternatives;
const rule: fc.Arbitrary<Generated> = fc.tuple(ruleName, alternatives).map(([name, alts]) => ({ type: 'rule', tokens: [name, '::=', ...alts] }));

const condition = fc.letrec<{ cond: string[] }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<string[]>(['anyone'], ['member'], ['sender', 'in', 'directory'], ['empty', 'sender'], ['authenticated']),
    quoted.map((q) => ['member', 'of', q.token]),
    filter.map((f) => ['sender', 'matches', f]),
    fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ['sender', 'domain', 'in', ...ws.flatMap((w, i) => (i === 0 ? [w] : [',', w]))]),
    fc.tuple(fc.constantFrom('dkim', 'spf'), word).map(([k, w]) => [k, w]),
    word.map((w) => ['@', w]),
    tie('cond').map((c) => ['not', ...c]),
    fc.tuple(fc.constantFrom('all', 'any'), fc.array(tie('cond'), { minLength: 1, maxLength: 3 })).map(([k, cs]) => [k, '(', ...cs.flatMap((c, i) => (i === 0 ? c : [',', ...c])), ')']),
  ),
})).cond;
const outcome = fc.constantFrom('allow', 'deny');
const rights: fc.Arbitrary<Generated> = fc.oneof(
  word.map((action) => ({ type: 'rights' as const, tokens: ['rights', action, 'closed'] })),
  fc.tuple(word, fc.array(fc.tuple(outcome, condition), { maxLength: 3 }), fc.option(outcome)).map(([action, rules, otherwise]) => ({
    type: 'rights' as const,
    tokens: ['rights', action, ...rules.flatMap(([o, c]) => [o, 'if', ...c]), ...(otherwise === null ? [] : ['otherwise', otherwise])],
  })),
);
const named: fc.Arbitrary<Generated> = fc
  .tuple(word, condition, fc.option(quoted))
  .map(([name, c, label]) => ({ type: 'condition', tokens: ['condition', name, '=', ...c, ...(label === null ? [] : ['label', label.token])] }));
const example: fc.Arbitrary<Generated> = fc.oneof(
  fc.tuple(word, filter).map(([address, f]) => ({ type: 'example' as const, tokens: ['example', address, '=>', f] })),
  word.map((address) => ({ type: 'example' as const, tokens: ['refuse', address] })),
);
const statement = fc.oneof(header, rule, rights, named, example);

/** Blanks between tokens: spaces, tabs, line ends (LF or CRLF) and comments; before a filter, spaces and tabs only. */
const blank = fc.constantFrom(' ', '\t', '  ', '\n', '\r\n', ' # a comment, with "quotes" and (parentheses)\n', '\n\n  ', '\t# é\r\n');
const inlineBlank = fc.constantFrom(' ', '\t', ' \t ');
const FILTER_BEFORE = new Set(['filter', 'matches', '=>']);

interface Written {
  source: string;
  places: Array<{ line: number; col: number }>;
}

/** Writes the statements with the blanks, and says at which line and column each begins. */
function write(statements: Generated[], blanks: string[], inline: string[]): Written {
  let source = '';
  let n = 0;
  const places: Written['places'] = [];
  for (const s of statements) {
    s.tokens.forEach((token, i) => {
      const previous = i > 0 ? s.tokens[i - 1] : undefined;
      const separator = previous !== undefined && FILTER_BEFORE.has(previous) ? (inline[n % inline.length] ?? ' ') : (blanks[n % blanks.length] ?? ' ');
      n++;
      if (source !== '') source += separator;
      if (i === 0) {
        const lineStart = source.lastIndexOf('\n') + 1;
        places.push({ line: source.split('\n').length, col: source.length - lineStart + 1 });
      }
      source += token;
    });
  }
  return { source, places };
}

const charter = fc.tuple(
  fc.array(statement, { minLength: 1, maxLength: 6 }),
  fc.array(blank, { minLength: 1, maxLength: 10 }),
  fc.array(inlineBlank, { minLength: 1, maxLength: 4 }),
  fc.constantFrom('', '\n', '\r\n', '\n# end\n'),
);

describe('charter syntax: generated charters', () => {
  it('parse into the statements written, each at its line and column, header values unquoted', () => {
    holds(
      fc.property(charter, ([statements, blanks, inline, end]) => {
        const { source, places } = write(statements, blanks, inline);
        const parsed = parseCharter(source + end, 'gen.charter');
        assert.deepEqual(
          parsed.map((s) => ({ type: s.type, line: s.line, col: s.col, ...(s.type === 'header' ? { key: s.key, values: s.values.map((v) => v.value) } : {}) })),
          statements.map((s, i) => ({ type: s.type, ...places[i], ...(s.type === 'header' ? { key: s.key, values: s.values } : {}) })),
          source,
        );
      }),
      { numRuns: 600 },
    );
  });
});

describe('charter syntax: anything else', () => {
  const shipped = ['liste/liste.charter', 'auto/auto.charter', 'conditions.charter'].map((f) => readFileSync(join(PROJECT_ROOT, 'families', f), 'utf8'));

  it('any text gives statements or diagnostics at a line and column inside the text, never another exception', () => {
    const soup = fc.string({
      unit: fc.constantFrom(
        '<a>',
        '::=',
        "'x'",
        '"y"',
        '|',
        '[',
        ']',
        '+',
        'filter',
        ' (a=1)',
        'label',
        'rights',
        'send',
        'allow',
        'if',
        'member',
        'of',
        '(',
        ')',
        ',',
        '/[a-z]/',
        'in',
        '1..5',
        '\n',
        '\r\n',
        ' ',
        '#',
        '=>',
        '@',
        'table',
        'example',
        '"',
        '\\',
        'é',
        '\r',
      ),
      maxLength: 30,
    });
    holds(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), soup), (source) => {
        parsedOrDiagnosed(source);
      }),
      { numRuns: 1500 },
    );
  });

  it('a shipped or generated charter with one edit gives statements or diagnostics inside the text', () => {
    const edit = fc.constantFrom('(', ')', '"', "'", '/', '<', '>', '\n', '\r', '#', '|', '::=', '=>', 'filter ', '..', '\\', '', ' ', '\u2028', '\0');
    const text = fc.oneof(
      fc.constantFrom(...shipped),
      charter.map(([statements, blanks, inline]) => write(statements, blanks, inline).source),
    );
    holds(
      fc.property(text, fc.nat(), edit, fc.boolean(), (source, at, piece, replace) => {
        const p = at % (source.length + 1);
        parsedOrDiagnosed(source.slice(0, p) + piece + source.slice(replace ? p + 1 : p));
      }),
      { numRuns: 600 },
    );
  });
});
