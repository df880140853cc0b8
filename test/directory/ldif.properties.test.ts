import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DirectoryDataError } from '../../src/directory/index.js';
import { parseLdif, readLdif, type LdifRecord } from '../../src/directory/embedded/ldif.js';
import { holds } from '../harness/property.js';
import { entry, layout, writeLdif } from './ldif-writer.js';

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
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 120 }),
          soup,
          bytes,
          soup.map((s) => Buffer.from(s, 'latin1')),
        ),
        (input) => {
          parsedOrRefused(input);
        },
      ),
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
