import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normaliseSender } from '../../src/address/sender-address.js';
import { domainOf, senderOf } from '../../src/rights/sender.js';

/** What senderOf must give: normaliseSender's address, empty for a bounce, other text as written. */
function expected(raw: string): string {
  return normaliseSender(raw)?.address ?? (/^[\s<>]*$/.test(raw) ? '' : raw.trim().toLowerCase());
}

describe('the sender of a decision', () => {
  it('normalises as membership does: case, +tag, <...>, quotes; empty for a bounce; other text kept', () => {
    const cases: Array<[string, string, string]> = [
      ['chef.bretagne@example.org', 'chef.bretagne@example.org', 'example.org'],
      ['CHEF.Bretagne+tag@Example.ORG', 'chef.bretagne@example.org', 'example.org'],
      ['<chef.bretagne@example.org>', 'chef.bretagne@example.org', 'example.org'],
      ['"chef.bretagne"@example.org', 'chef.bretagne@example.org', 'example.org'],
      ['"a@b"@example.org', '"a@b"@example.org', 'example.org'],
      ['<>', '', ''],
      ['', '', ''],
      [' < > ', '', ''],
      ['Not An Address', 'not an address', ''],
    ];
    for (const [raw, sender, domain] of cases) {
      assert.equal(senderOf(raw), sender, raw);
      assert.equal(domainOf(senderOf(raw)), domain, raw);
    }
  });

  it('gives what the full normalising gives, for plain addresses and for anything else', () => {
    const plain = fc.stringMatching(/^[a-z0-9_+.-]{1,20}@[a-z0-9.-]{1,20}$/);
    const odd = fc.string({ unit: 'binary', maxLength: 40 });
    const pieces = fc.array(fc.constantFrom('a', 'B', '.', '@', '+', '"', '<', '>', ' ', '-', '_', 'é', '\n'), { maxLength: 14 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(plain, odd, pieces), (raw) => {
        assert.equal(senderOf(raw), expected(raw));
      }),
      { numRuns: 20_000 },
    );
  });
});
