/** LDIF as people and tools write it, for property tests: values plain or in base64, folds, comments, CRLF, text or bytes. */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';

/** Text that UTF-8 can carry (no lone surrogate): LDIF values are UTF-8. */
const wellFormed = (s: string): boolean => Buffer.from(s, 'utf8').toString('utf8') === s;
export const text = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .string({
      unit: fc.oneof(
        { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
        { weight: 2, arbitrary: fc.constantFrom(' ', ':', '<', '#', '\n', '\r', '\0', '=', ',', 'é', 'à', '€', '𝔸', '-') },
      ),
      maxLength,
    })
    .filter(wellFormed);

/**
 * Values written plain: RFC 2849's SAFE-STRING, and UTF-8 text (which RFC 2849 would have in base64,
 * but slapadd takes too). Not a leading tab, vertical tab or form feed: RFC 2849 lets a value begin
 * with one, but slapadd skips whatever C's isspace() takes after the colon, so such a value goes in
 * base64, as slapcat writes it.
 */
export const PLAIN_UTF8 = /^(?:[^\0\n\r\t\v\f :<][^\0\n\r]*)?$/u;

export interface Written {
  value: string;
  /** How the value is written: plain text, base64 of its UTF-8, or base64 of bytes that are not UTF-8 (read back as the base64 text). */
  form: 'plain' | 'base64' | 'binary';
}

const description = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}(;[A-Za-z0-9-]{1,6}){0,2}$/).filter((d) => !/^changetype$/i.test(d)),
  fc.stringMatching(/^[0-9]{1,3}(\.[0-9]{1,3}){0,3}$/),
  fc.constantFrom('objectClass', 'cn', 'mail', 'cn;lang-fr', 'DN'),
);
export const written: fc.Arbitrary<Written> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(text(30), fc.boolean()).map(([value, base64]): Written => ({ value, form: base64 || !PLAIN_UTF8.test(value) ? 'base64' : 'plain' })) },
  // Bytes that are not UTF-8 (a photo, a certificate): read back as their base64.
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 12 })
      .filter((b) => !isUtf8(b))
      .map((b): Written => ({ value: Buffer.from(b).toString('base64'), form: 'binary' })),
  },
);
export const entry = fc.record({ dn: written.filter((w) => w.form !== 'binary'), attributes: fc.array(fc.tuple(description, written), { maxLength: 6 }) });

export interface Layout {
  version: boolean;
  crlf: boolean;
  /** Where physical lines are cut (in bytes for a Buffer, in UTF-16 units for a string), per logical line. */
  folds: number[][];
  /** Comment lines (folded themselves sometimes) placed before the logical line of the same index. */
  comments: Array<string | null>;
  blankLines: number[];
  trailingNewline: boolean;
  asBuffer: boolean;
  /**
   * Folds only after the colon (or the two of base64): RFC 2849 lets a fold fall anywhere, but
   * OpenLDAP's slapadd refuses one inside an attribute description (`o\n bjectClass:`) or `dn:`,
   * and reads `description:\n :: Iw==` as the value `: Iw==`.
   */
  foldValuesOnly?: boolean;
}

export const layout = fc.record({
  version: fc.boolean(),
  crlf: fc.boolean(),
  folds: fc.array(fc.array(fc.nat({ max: 200 }), { maxLength: 3 }), { maxLength: 60 }),
  comments: fc.array(
    fc.option(
      fc.string({ maxLength: 20 }).map((c) => c.replace(/[\r\n]/g, '')),
      { freq: 6 },
    ),
    { maxLength: 60 },
  ),
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
export function writeLdif(entries: Array<{ dn: Written; attributes: Array<[string, Written]> }>, l: Layout): { input: string | Buffer; lines: number[] } {
  // Physical lines: bytes for a Buffer input (a cut may fall inside a character), UTF-16 text for a string.
  const physical: Array<Buffer | string> = [];
  const starts: number[] = [];
  let logicalIndex = 0;
  const commentBefore = (index: number): string | null | undefined => l.comments[index % Math.max(l.comments.length, 1)];
  const put = (line: string): void => {
    const index = logicalIndex++;
    physical.push(...commentLines(commentBefore(index)));
    const whole: Buffer | string = l.asBuffer ? Buffer.from(line, 'utf8') : line;
    const first = l.foldValuesOnly ? (/^[^:]*::?/.exec(line)?.[0].length ?? 1) : 1;
    const cuts = [...new Set((l.folds[index % Math.max(l.folds.length, 1)] ?? []).map((c) => first + (c % Math.max(whole.length - first, 1))))].filter((c) => c < whole.length).sort((a, b) => a - b);
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
  physical.forEach((p, i) => {
    if (i > 0) parts.push(Buffer.from(eol));
    parts.push(Buffer.from(p));
  });
  if (l.trailingNewline) parts.push(Buffer.from(eol));
  return { input: Buffer.concat(parts), lines: starts };
}
