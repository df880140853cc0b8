import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completions } from '../../src/charter/completions.js';
import { D, shippedResolver } from '../harness/families.js';

const addresses = (partial: string, limit = 20): string[] => completions(shippedResolver(), partial, limit).map((c) => c.address);

describe('completions of token classes', () => {
  it('completes a bounded number as it is typed: the README example liste.chefs-56 is reached', () => {
    assert.deepEqual(
      addresses('liste.chefs-5'),
      ['50', '51', '52', '53', '54', '55', '56', '57', '58', '59'].map((n) => `liste.chefs-${n}${D}`),
    );
    assert.deepEqual(addresses('liste.chefs-0').length, 9);
    assert.ok(addresses('auto-cio.4').includes(`auto-cio.40${D}`));
    // The bounds hold: 20 is no département.
    assert.ok(!addresses('liste.chefs-2').includes(`liste.chefs-20${D}`));
    assert.ok(addresses('liste.chefs-2').includes(`liste.chefs-2a${D}`));
  });

  it('offers the words before the numbers, so that the regions and national stay in sight', () => {
    const first = addresses('liste.chefs-', 12);
    assert.ok(first.includes(`liste.chefs-national${D}`), first.join(' '));
    assert.ok(first.includes(`liste.chefs-bretagne${D}`), first.join(' '));
    const more = addresses('liste.chefs-', 200);
    assert.ok(more.includes(`liste.chefs-56${D}`), 'the départements follow');
    assert.ok(more.indexOf(`liste.chefs-56${D}`) > more.indexOf(`liste.chefs-national${D}`));
  });

  it('leaves open token classes (towns) to the typist', () => {
    // Only what is typed, which already names a list: no town is made up.
    assert.deepEqual(addresses('liste.chefs-site-x'), [`liste.chefs-site-x${D}`]);
  });
});
