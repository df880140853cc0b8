import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normaliseSender } from '../../src/address/sender-address.js';
import { domainOf, senderOf } from '../../src/rights/sender.js';
import { holds } from '../harness/property.js';

/** Envelope senders as they come: any text, and text built from what addresses are made of. */
const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.stringMatching(/^[A-Za-z0-9._-]{1,10}$/),
  fc.constantFrom('@', '<', '>', '"', '\\', '+', '.', ' ', '\t', ':', ',', '@relay.example.net:', '\0', '\r\n', 'İ', 'ẞ', 'Σ', 'ς', 'ǅ', 'Å', 'Å', 'e\u0301', '\u0345', 'ﬀ', '\udc00', 'É'),
);
const sender = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(piece, { maxLength: 10 }).map((p) => p.join('')),
  fc.tuple(fc.array(piece, { maxLength: 4 }), fc.array(piece, { maxLength: 3 }), fc.array(piece, { maxLength: 3 })).map(([l, tag, d]) => `<${l.join('')}+${tag.join('')}@${d.join('')}>`),
);

/** An unquoted local part keeps no subaddress: a `+` only as the first character, where it is the whole name. */
function hasNoTag(local: string): boolean {
  return local.startsWith('"') || local.indexOf('+') <= 0;
}

describe('normaliseSender, for any text', () => {
  it('never throws; gives null or local@domain, lower case, NFC, without +tag, and normalising it again changes nothing', () => {
    holds(
      fc.property(sender, (raw) => {
        const once = normaliseSender(raw);
        if (once === null) return;
        assert.equal(once.address, `${once.local}@${once.domain}`);
        assert.ok(once.local !== '' && once.domain !== '' && !once.domain.includes('@'), once.address);
        assert.equal(once.address, once.address.toLowerCase(), 'lower case');
        assert.equal(once.address, once.address.normalize('NFC'), 'NFC');
        assert.ok(hasNoTag(once.local), `a subaddress is left in ${once.address}`);
        assert.deepEqual(normaliseSender(once.address), once, 'idempotent');
        assert.deepEqual(normaliseSender(`<${once.address}>`), once, 'the same address in a path');
      }),
      { numRuns: 8000 },
    );
  });
});

describe('senderOf (the sender of a rights decision), for any text', () => {
  it("never throws; is '' for a bounce, else an address normaliseSender keeps as it is, lower case and without +tag; idempotent", () => {
    holds(
      fc.property(sender, (raw) => {
        const out = senderOf(raw);
        assert.equal(senderOf(out), out, 'idempotent');
        assert.equal(out, out.toLowerCase(), 'lower case');
        domainOf(out);
        if (out === '') return;
        const address = normaliseSender(out);
        if (address === null) {
          // Documented: text with no local@domain shape is kept (trimmed, lower case); it matches nobody.
          assert.equal(normaliseSender(raw), null);
          assert.equal(out, raw.trim().toLowerCase());
          return;
        }
        assert.equal(address.address, out, 'what it gives is already normal');
        assert.ok(hasNoTag(address.local), `a subaddress is left in ${out}`);
      }),
      { numRuns: 8000 },
    );
  });
});
