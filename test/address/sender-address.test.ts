import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normaliseSender } from '../../src/address/sender-address.js';

describe('normaliseSender', () => {
  it('lower-cases, trims, unwraps <...>, drops the subaddress, a source route and unneeded quotes', () => {
    const cases: Array<[string, string | null]> = [
      ['Jean.Dupont@Example.ORG', 'jean.dupont@example.org'],
      [' <jean.dupont+lists@example.org.> ', 'jean.dupont@example.org'],
      ['"jean.dupont+x"@example.org', 'jean.dupont@example.org'],
      ['"jean dupont"@example.org', '"jean dupont"@example.org'],
      ['"a@b"@example.org', '"a@b"@example.org'],
      ['<@relay.example.net:jean@example.org>', 'jean@example.org'],
      ['+tag@example.org', '+tag@example.org'],
      ['JÖSÉ@EXÄMPLE.org', 'jösé@exämple.org'],
      ['', null],
      ['<>', null],
      ['  < >  ', null],
      ['nobody', null],
      ['@example.org', null],
      ['jean@', null],
    ];
    for (const [raw, expected] of cases) assert.equal(normaliseSender(raw)?.address ?? null, expected, JSON.stringify(raw));
    assert.deepEqual(normaliseSender('Jean+X@Example.org'), { address: 'jean@example.org', local: 'jean', domain: 'example.org' });
  });

  it('never throws, and normalising its own output changes nothing', () => {
    const piece = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('@', '<', '>', '"', '\\', '+', '.', ' ', ':', '@relay:', '\0', 'İ', 'ẞ', '\u0301', 'Σ', '\udc00'));
    const sender = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.array(piece, { maxLength: 10 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(sender, (raw) => {
        const once = normaliseSender(raw);
        if (once === null) return;
        assert.equal(once.address, `${once.local}@${once.domain}`);
        assert.deepEqual(normaliseSender(once.address), once);
      }),
      { numRuns: 5000 },
    );
  });
});
