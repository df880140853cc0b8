import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listParts } from '../../src/charter/list-parts.js';
import { matchesEntry } from '../../src/directory/index.js';
import { explainMember } from '../../src/membership/member-explanation.js';
import { D, shippedResolver } from '../harness/families.js';

describe('why an address is or is not on a list, in the family’s language', () => {
  const resolver = shippedResolver();
  const french = resolver.resolve(`liste.chefs-56${D}`);
  const english = { ...french, language: 'en' as const };
  const gendarme = { dn: 'uid=g,ou=people,dc=example,dc=org', attributes: { mail: ['g@example.org'], title: ['gendarme'], departmentNumber: ['56'] } };
  const chef = { dn: 'uid=c,ou=people,dc=example,dc=org', attributes: { mail: ['c@example.org'], title: ['chef'], departmentNumber: ['56'] } };
  const explain = (list: typeof french, address: string, member: boolean, entry: typeof chef | null): string[] =>
    explainMember(list, address, member, entry, listParts(resolver, list), matchesEntry).reasons;

  it('says the same decisions in French and in English', () => {
    assert.deepEqual(explain(french, 'g@example.org', false, gendarme), [
      `g@example.org n’est pas membre de liste.chefs-56${D} : la fiche uid=g,ou=people,dc=example,dc=org ne satisfait pas « chefs »`,
      'ne satisfait pas « chefs » (title=chef)',
      'satisfait « du département 56 » (departmentNumber=56)',
    ]);
    assert.deepEqual(explain(english, 'g@example.org', false, gendarme), [
      `g@example.org is not a member of liste.chefs-56${D}: the entry uid=g,ou=people,dc=example,dc=org does not satisfy “chefs”`,
      'does not satisfy “chefs” (title=chef)',
      'satisfies “du département 56” (departmentNumber=56)',
    ]);
    assert.match(explain(french, 'c@example.org', true, chef)[0] ?? '', /^c@example\.org est membre de liste\.chefs-56@lists\.example\.org : la fiche .* satisfait chaque partie de son filtre$/);
    assert.match(explain(english, 'c@example.org', true, chef)[0] ?? '', /^c@example\.org is a member of liste\.chefs-56@lists\.example\.org: the entry .* satisfies every part of its filter$/);
    assert.match(explain(french, 'x@example.org', false, null)[0] ?? '', /aucune fiche de l’annuaire sous dc=example,dc=org ne l’a dans mail, mailLocalAddress$/);
    assert.match(explain(english, 'x@example.org', false, null)[0] ?? '', /no directory entry under dc=example,dc=org has it in mail, mailLocalAddress$/);
  });
});
