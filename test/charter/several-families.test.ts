/** A name no family of its domain reads: what each family that read it furthest expected, names close to it from every family, the domains served. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressErrorText } from '../../src/charter/address-messages.js';
import { NoSuchListError, UnknownDomainError } from '../../src/charter/errors.js';
import { Resolver } from '../../src/charter/resolver.js';
import { D, shippedResolver } from '../harness/families.js';
import { family } from './helpers.js';

function refusal(address: string): NoSuchListError | UnknownDomainError {
  try {
    shippedResolver().resolve(address);
  } catch (error) {
    if (error instanceof NoSuchListError || error instanceof UnknownDomainError) return error;
    throw error;
  }
  throw new Error(`${address} is a list`);
}

describe('two families on one domain', () => {
  it('say each what it expected where both stopped, in English and in French', () => {
    const error = refusal(`xyz${D}`) as NoSuchListError;
    const both = 'at column 1, found "x", expected "auto-" (family auto); at column 1, found "x", expected "liste." (family liste)';
    assert.equal(error.message, `no such list xyz${D}: ${both}`);
    assert.equal(addressErrorText(error, `xyz${D}`, 'en'), `no such list xyz${D}: ${both}`);
    assert.equal(
      addressErrorText(error, `xyz${D}`, 'fr'),
      `la liste xyz${D} n’existe pas : à la colonne 1, "auto-" attendu, "x" trouvé (famille auto) ; à la colonne 1, "liste." attendu, "x" trouvé (famille liste)`,
    );
    assert.deepEqual(error.expected, ['"auto-"', '"liste."']);
  });

  it('leave out a family that stopped sooner', () => {
    const error = refusal(`liste.chefs-56x${D}`) as NoSuchListError;
    assert.doesNotMatch(error.message, /family auto/);
  });

  it('suggest names from each family, not only from the first', () => {
    const header = (name: string): string => `family ${name}\ndomain lists.example.org\nbase "dc=example,dc=org"\n`;
    // `letters` has 24 names one edit from z5, `why` one: y5.
    const letters = family(`${header('letters')}<address> ::= /[a-x]/ <d>\n<d> ::= /[0-9]/\n`, {}, 'letters');
    const why = family(`${header('why')}<address> ::= 'y' <d>\n<d> ::= /[0-9]/\n`, {}, 'why');
    try {
      new Resolver([letters, why]).resolve(`z5${D}`);
      assert.fail('z5 is a list');
    } catch (error) {
      if (!(error instanceof NoSuchListError)) throw error;
      assert.deepEqual(error.suggestions, [`a5${D}`, `y5${D}`, `b5${D}`]);
    }
  });
});

describe('a domain no family serves', () => {
  it('names the domains served for the site, not for an outsider', () => {
    const error = refusal('someone@example.com') as UnknownDomainError;
    assert.equal(error.message, 'no list family serves the domain example.com (domains served: lists.example.org)');
    assert.deepEqual(error.toJSON().served, ['lists.example.org']);
    assert.equal(addressErrorText(error, 'someone@example.com', 'en', 'outsider'), 'no list family serves the domain example.com');
  });
});
