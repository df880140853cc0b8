/** Held messages' ids: the store's form, and none that `autolist approve ID` would read as an option. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HELD_ID, newHeldId } from '../../src/store/held/id.js';

describe('a held message’s id', () => {
  it('is 16 base64url characters, never beginning with "-", and different each time', () => {
    // Drawn as base64url alone, one id in 64 would begin with "-": 10,000 draws hold about 156 of them.
    const ids = Array.from({ length: 10_000 }, newHeldId);
    assert.ok(ids.every((id) => HELD_ID.test(id)));
    assert.deepEqual(
      ids.filter((id) => id.startsWith('-')),
      [],
    );
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(
      ids.some((id) => id.includes('-')),
      'a "-" elsewhere stays possible',
    );
  });
});
