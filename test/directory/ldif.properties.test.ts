import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DirectoryDataError } from '../../src/directory/index.js';
import { parseLdif, readLdif, type LdifRecord } from '../../src/directory/embedded/ldif.js';
import { holds } from '../harness/property.js';

/** Text that UTF-8 can carry (no lone surrogate): LDIF values are UTF-8. */
const wellFormed = (s: string): boolean => Buffer.from(s, 'utf8').toString('utf8') === s;
const text = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .string({
      unit: fc.oneof(
        { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
        { weight: 2, arbitrary: fc.constantFrom(' ', ':', '<', '#', '\n', '\r', '\0', '=', ',', 'é', 'à', '€', '𝔸', '-') },
      ),
      maxLength,
    })
    .filter(wellFormed);

/** Values written plain: RFC 2849's SAFE-STRING, and UTF-8 text (which RFC 2849 would have in base64, but slapadd takes too). */
const PLAIN_UTF8 = /^(?:[^\0\n\r :<][^\0\n\r]*)?$/u;

interface Written {
  value: string;
  /** How the value is written: plain text, base64 of its UTF-8, or base64 of bytes that are not UTF-8 (read back as the base64 text). */
  form: 'plain' | 'base64' | 'binary';
}

const description = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}(;[A-Za-z0-9-]{1,6}){0,2}$/).filter((d) => !/^changetype$/i.test(d)),
  fc.stringMatching(/^[0-9]{1,3}(\.[0-9]{1,3}){0,3}$/),
  fc.constantFrom('objectClass', 'cn', 'mail', 'cn;lang-fr', 'DN'),
);
const written: fc.Arbitrary<Written> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(text(30), fc.boolean()).map(([value, base64]): Written => ({ value, form: base64 || !PLAIN_UTF8.test(value) ? 'base64' : 'plain' })) },
  // Bytes that are not UTF-8 (a photo, a certificate): read back as their base64.
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 12 }).filter((b) => !isUtf8(b)).map((b): Written => ({ value: Buffer.from(b).toString('base64'), form: 'binary' })) },
);
const entry = fc.record({ dn: written.filter((w) => w.form !== 'binary'), attributes: fc.array(fc.tuple(description, written), { maxLength: 6 }) });

interface Layout {
  version: boolean;
  crlf: boolean;
  /** Where physical lines are cut (in bytes for a Buffer, in UTF-16 units for a string), per logical line. */
  folds: number[][];
  /** Comment lines (folded themselves sometimes) placed before the logical line of the same index. */
  comments: Array<string | null>;
  blankLines: number[];
  trailingNewline: boolean;
  asBuffer: boolean;
}

const layout = fc.record({
  version: fc.boolean(),
  crlf: fc.boolean(),
  folds: fc.array(fc.array(fc.nat({ max: 200 }), { maxLength: 3 }), { maxLength: 60 }),
  comments: fc.array(fc.option(fc.string({ maxLength: 20 }).map((c) => c.replace(/[\r\n]/g, '')), { freq: 6 }), { maxLength: 60 }),
  blankLines: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 60 }),
  trailingNewline: fc.boolean(),
  asBuffer: fc.boolean(),
});

const valueLine = (name: string, w: Written): string => (w.form === 'plain' ? `${name}: ${w.value}` : `${name}:: ${w.form === 'binary' ? w.value : Buffer.from(w.value, 'utf8').toString('base64')}`);

/** A comment's lines: a longer comment is folded too. */
function commentLines(comment: string | null | undefined): string[] {
  if (comment === undefined || comment === null) return [];
  return comment.length > 5 ? [`#${comment}`, ` continued comment ${comment}`] : [`#${comment}`];
}

/** Writes entries as LDIF with the layout's folds, comments and blank lines; says on which line each record starts. */
function writeLdif(entries: Array<{ dn: Written; attributes: Array<[string, Written]> }>, l: Layout): { input: string | Buffer; lines: number[] } {
  // Physical lines: bytes for a Buffer input (a cut may fall inside a character), UTF-16 text for a string.
  const physical: Array<Buffer | string> = [];
  const starts: number[] = [];
  let logicalIndex = 0;
  const commentBefore = (index: number): string | null | undefined => l.comments[index % Math.max(l.comments.length, 1)];
  const put = (line: string): void => {
    const index = logicalIndex++;
    physical.push(...commentLines(commentBefore(index)));
    const whole: Buffer | string = l.asBuffer ? Buffer.from(line, 'utf8') : line;
    const cuts = [...new Set((l.folds[index % Math.max(l.folds.length, 1)] ?? []).map((c) => 1 + (c % Math.max(whole.length - 1, 1))))].filter((c) => c < whole.length).sort((a, b) => a - b);
    let from = 0;
    for (const cut of [...cuts, whole.length]) {
      const piece = whole.slice(from, cut);
      physical.push(from === 0 ? piece : typeof piece === 'string' ? ` ${piece}` : Buffer.concat([Buffer.from(' '), piece]));
      from = cut;
    }
  };
  if (l.version) put('version: 1');
  entries.forEach((e, i) => {
    if (i > 0 || l.version) for (let n = 0; n < (l.blankLines[i] ?? 1); n++) physical.push('');
    // The record starts on the dn line, after any comment put before it.
    starts.push(physical.length + 1 + commentLines(commentBefore(logicalIndex)).length);
    put(valueLine('dn', e.dn));
    for (const [name, w] of e.attributes) put(valueLine(name, w));
  });
  const eol = l.crlf ? '\r\n' : '\n';
  if (!l.asBuffer) return { input: physical.join(eol) + (l.trailingNewline ? eol : ''), lines: starts };
  const parts: Buffer[] = [];
  physical.forEach((p, i) => parts.push(...(i > 0 ? [Buffer.from(eol)] : []), Buffer.from(p)));
  if (l.trailingNewline) parts.push(Buffer.from(eol));
  return { input: Buffer.concat(parts), lines: starts };
}

/** Parses, or checks that the refusal is DIRECTORY_DATA_INVALID naming the file and a line of it. */
function parsedOrRefused(input: string | Buffer): LdifRecord[] | undefined {
  try {
    return parseLdif(input, 'people.ldif');
  } catch (error) {
    assert.ok(error instanceof DirectoryDataError, `${JSON.stringify(input.toString())}: ${String(error)}`);
    assert.equal(error.code, 'DIRECTORY_DATA_INVALID');
    assert.equal(error.temporary, false);
    assert.equal(error.file, 'people.ldif');
    const lines = input.toString('latin1').split('\n').length;
    assert.ok(error.line !== undefined && Number.isInteger(error.line) && error.line >= 1 && error.line <= lines, `line ${error.line} of ${lines}`);
    assert.ok(error.message.startsWith(`people.ldif:${error.line}: `), error.message);
    return undefined;
  }
}

describe('LDIF: written entries read back', () => {
  it('entries written with base64, folds, comments, CRLF, as text or bytes, parse back to the same entries', () => {
    holds(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 5 }), layout, (entries, l) => {
        const { input, lines } = writeLdif(entries, l);
        const records = parseLdif(input, 'people.ldif');
        assert.deepEqual(
          records,
          entries.map((e, i) => ({ dn: e.dn.value, line: lines[i], attributes: e.attributes.map(([name, w]) => [name, w.value]) })),
        );
        assert.deepEqual([...readLdif(input, 'people.ldif')], records, 'one record at a time, the same records');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('LDIF: anything else', () => {
  it('any text or bytes give records or DIRECTORY_DATA_INVALID with the file and a line of it, never another exception', () => {
    const soup = fc.string({ unit: fc.constantFrom('dn: ', 'dn:: ', 'cn: x', 'cn:: ', 'Y24=', '=', ':', ':<', '\n', '\r\n', ' ', '#', 'version: 1', 'changetype: add', '\xe9', '-'), maxLength: 30 });
    const bytes = fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b));
    holds(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), soup, bytes, soup.map((s) => Buffer.from(s, 'latin1'))), (input) => {
        parsedOrRefused(input);
      }),
      { numRuns: 3000 },
    );
  });

  it('valid LDIF with one edit gives records or the typed error', () => {
    const edit = fc.constantFrom(' ', ':', '::', ':<', '\n', '\n ', '\n\n', '#', '*', '\xff', 'changetype: add\n', 'dn: x\n', '', '=');
    holds(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 3 }), layout, fc.nat(), edit, fc.boolean(), (entries, l, at, piece, replace) => {
        const { input } = writeLdif(entries, l);
        const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8');
        const p = at % (bytes.length + 1);
        const edited = Buffer.concat([bytes.subarray(0, p), Buffer.from(piece, 'latin1'), bytes.subarray(replace ? p + 1 : p)]);
        parsedOrRefused(l.asBuffer ? edited : edited.toString('utf8'));
      }),
      { numRuns: 1500 },
    );
  });
});
