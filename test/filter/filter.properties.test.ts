import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AndFilter, ApproximateFilter, EqualityFilter, GreaterThanEqualsFilter, LessThanEqualsFilter, NotFilter, OrFilter, PresenceFilter, SubstringFilter, type Filter } from 'ldapts';
import { FilterSyntaxError, parseFilter, parseFilterTemplate } from '../../src/filter/index.js';
import { holds } from '../harness/property.js';

/** A filter as plain data, to compare parsed filters structurally (not by their printing). */
function shape(filter: Filter): unknown {
  if (filter instanceof AndFilter) return { and: filter.filters.map(shape) };
  if (filter instanceof OrFilter) return { or: filter.filters.map(shape) };
  if (filter instanceof NotFilter) return { not: shape(filter.filter) };
  if (filter instanceof PresenceFilter) return { present: filter.attribute };
  if (filter instanceof SubstringFilter) return { substring: filter.attribute, initial: filter.initial, any: filter.any, final: filter.final };
  if (filter instanceof EqualityFilter) return { equal: filter.attribute, value: filter.value };
  if (filter instanceof ApproximateFilter) return { approx: filter.attribute, value: filter.value };
  if (filter instanceof GreaterThanEqualsFilter) return { ge: filter.attribute, value: filter.value };
  if (filter instanceof LessThanEqualsFilter) return { le: filter.attribute, value: filter.value };
  assert.fail(`a parsed filter of an unexpected kind: ${filter.constructor.name}`);
}

/** Parses, or checks that the refusal is the typed syntax error pointing into the text. */
function parsedOrRefused(text: string, placeholders = false): Filter | undefined {
  try {
    if (!placeholders) return parseFilter(text);
    parseFilterTemplate(text, { placeholders: true });
    return undefined;
  } catch (error) {
    assert.ok(error instanceof FilterSyntaxError, `${JSON.stringify(text)}: ${String(error)}`);
    assert.equal(error.code, 'FILTER_SYNTAX');
    assert.equal(error.temporary, false);
    assert.ok(Number.isInteger(error.offset) && error.offset >= 0 && error.offset <= text.length, `offset ${error.offset} outside ${JSON.stringify(text)}`);
    return undefined;
  }
}

const attribute = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}(;[A-Za-z0-9-]{1,6}){0,2}$/),
  fc.stringMatching(/^[0-9]{1,3}(\.[0-9]{1,3}){0,4}$/),
  fc.constantFrom('cn', 'mail', 'objectClass', 'title', 'l', 'departmentNumber'),
);
/** Values rich in what RFC 4515 escapes (* ( ) \ NUL) and in non-ASCII text, lone surrogates included. */
const value = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('*', '(', ')', '\\', '\0', '=', '&', '|', '!', '{', '}', ' ', 'é', '\u202e', '𝔸', '\udc00', '\n') },
    { weight: 5, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 16,
});
const nonEmpty = value.filter((v) => v !== '');

const filterTree = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    attribute.map((a) => new PresenceFilter({ attribute: a })),
    fc.tuple(attribute, value).map(([a, v]) => new EqualityFilter({ attribute: a, value: v })),
    fc.tuple(attribute, value).map(([a, v]) => new ApproximateFilter({ attribute: a, value: v })),
    fc.tuple(attribute, value).map(([a, v]) => new GreaterThanEqualsFilter({ attribute: a, value: v })),
    fc.tuple(attribute, value).map(([a, v]) => new LessThanEqualsFilter({ attribute: a, value: v })),
    // A substring assertion has at least one piece, and no empty piece in the middle.
    fc
      .tuple(attribute, value, fc.array(nonEmpty, { maxLength: 3 }), value)
      .filter(([, initial, any, final]) => initial !== '' || any.length > 0 || final !== '')
      .map(([a, initial, any, final]) => new SubstringFilter({ attribute: a, initial, any, final })),
    fc.array(tie('filter'), { minLength: 1, maxLength: 4 }).map((filters) => new AndFilter({ filters })),
    fc.array(tie('filter'), { minLength: 1, maxLength: 4 }).map((filters) => new OrFilter({ filters })),
    tie('filter').map((filter) => new NotFilter({ filter })),
  ),
})).filter;

describe('RFC 4515 filters: parse and print', () => {
  it('parse(print(ast)) is the AST, for any values', () => {
    holds(
      fc.property(filterTree, (ast) => {
        const text = ast.toString();
        assert.deepEqual(shape(parseFilter(text)), shape(ast), text);
      }),
      { numRuns: 1500 },
    );
  });

  it('printing escapes every special character: the text has no raw * ( ) \\ NUL inside a value', () => {
    holds(
      fc.property(attribute, value, (a, v) => {
        const text = new EqualityFilter({ attribute: a, value: v }).toString();
        const inside = text.slice(a.length + 2, -1);
        assert.doesNotMatch(inside, /[*()\0]|\\(?![0-9a-f]{2})/, text);
      }),
      { numRuns: 1000 },
    );
  });

  it('print(parse(text)) is stable: printing a parsed filter and parsing it again changes nothing', () => {
    // Texts close to valid ones (printed, then mutated) and any text at all.
    const mutated = fc
      .tuple(filterTree, fc.nat(), fc.constantFrom('(', ')', '*', '\\', '\\2', '\\2a', '\\c3', '\\a9', '=', '~=', '>=', '&', '!', ':', '', 'x'), fc.boolean())
      .map(([ast, at, piece, replace]) => {
        const text = ast.toString();
        const p = at % (text.length + 1);
        return text.slice(0, p) + piece + text.slice(replace ? p + 1 : p);
      });
    holds(
      fc.property(
        fc.oneof(mutated, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: fc.constantFrom('(', ')', '&', '|', '!', '=', '*', 'a', '\\', '2', '~', '>'), maxLength: 30 })),
        (text) => {
          const parsed = parsedOrRefused(text);
          if (parsed === undefined) return;
          const printed = parsed.toString();
          const again = parseFilter(printed);
          assert.equal(again.toString(), printed, text);
          assert.deepEqual(shape(again), shape(parsed), text);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('any text, with or without placeholders, parses or gives the typed FILTER_SYNTAX error', () => {
    const braces = fc.string({ unit: fc.constantFrom('(', ')', '{', '}', '|', '.', 'town', 'upper', 'x=', '\\7b', '*', '&'), maxLength: 20 });
    holds(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 60 }),
          braces,
          braces.map((b) => `(l=${b})`),
        ),
        (text) => {
          parsedOrRefused(text);
          parsedOrRefused(text, true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a value is not cut by escaped specials: \\2a is a star, not a substring', () => {
    const parsed = parseFilter('(cn=a\\2ab)');
    assert.deepEqual(shape(parsed), { equal: 'cn', value: 'a*b' });
  });
});
