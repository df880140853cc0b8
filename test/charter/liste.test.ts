import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressInvalidError, AddressTooLongError, NoSuchListError, UnknownDomainError } from '../../src/charter/errors.js';
import { D, shippedResolver } from '../harness/families.js';

describe('the shipped family liste', () => {
  const resolver = shippedResolver();

  it('resolves every form of WHO and WHERE', () => {
    const table: Array<[string, string, string, string]> = [
      ['liste.chefs-56', '(&(title=chef)(departmentNumber=56))', 'Chefs du département 56', '[chefs-56]'],
      ['liste.chefs.civils-56', '(&(title=chef)(employeeType=civil)(departmentNumber=56))', 'Chefs civils du département 56', '[chefs.civils-56]'],
      ['liste.personnels-national', '(objectClass=inetOrgPerson)', 'Personnels au niveau national', '[personnels-national]'],
      ['liste.sites-2a', '(&(objectClass=organizationalUnit)(departmentNumber=2A))', 'Sites du département 2A', '[sites-2a]'],
      ['liste.pilotes.militaires-2b', '(&(title=pilote)(employeeType=militaire)(departmentNumber=2B))', 'Pilotes militaires du département 2B', '[pilotes.militaires-2b]'],
      ['liste.gendarmes-corse', '(&(title=gendarme)(|(departmentNumber=2A)(departmentNumber=2B)))', 'Gendarmes de la région Corse', '[gendarmes-corse]'],
      [
        'liste.plongeurs-bretagne',
        '(&(title=plongeur)(|(departmentNumber=22)(departmentNumber=29)(departmentNumber=35)(departmentNumber=56)))',
        'Plongeurs de la région Bretagne',
        '[plongeurs-bretagne]',
      ],
      ['liste.mecaniciens-site-saint-malo', '(&(title=mecanicien)(l=saint-malo))', 'Mécaniciens du site de Saint-Malo', '[mecaniciens-site-saint-malo]'],
      ['liste.chefs-01', '(&(title=chef)(departmentNumber=01))', 'Chefs du département 01', '[chefs-01]'],
      ['liste.chefs-95', '(&(title=chef)(departmentNumber=95))', 'Chefs du département 95', '[chefs-95]'],
      ['liste.civils-national', '(employeeType=civil)', 'Civils au niveau national', '[civils-national]'],
    ];
    for (const [name, filter, description, subject] of table) {
      const list = resolver.resolve(name + D);
      assert.equal(list.filterText, filter, name);
      assert.equal(list.description, description, name);
      assert.equal(list.subject, subject, name);
      assert.equal(list.family, 'liste');
      assert.equal(list.address, name + D);
    }
  });

  it('normalises case, blanks and angle brackets', () => {
    const list = resolver.resolve('  <LISTE.Chefs-2A@Lists.Example.ORG>  ');
    assert.equal(list.address, `liste.chefs-2a${D}`);
    assert.equal(list.filterText, '(&(title=chef)(departmentNumber=2A))');
    assert.deepEqual(list.params, { who: 'chefs', category: 'chefs', where: '2a', department: '2a' });
  });

  it('carries the directory settings and rights of the family', () => {
    const list = resolver.resolve(`liste.chefs-56${D}`);
    assert.deepEqual(list.directory, { base: 'dc=example,dc=org', scope: 'sub', memberAttribute: 'mail', alternateAddressAttributes: ['mailLocalAddress'] });
    const send = list.rights.send.rules[0]?.condition;
    assert.ok(send?.kind === 'named' && send.name === 'commandement' && send.condition.kind === 'sender-matches');
    assert.equal(list.rights.subscribe.closed, true);
    assert.equal(list.rights.unsubscribe.closed, true);
    assert.equal(list.rights.review.rules[0]?.condition.kind, 'in-directory');
  });

  it('refuses names outside the charter with the column, the expectation and suggestions', () => {
    const cases: Array<[string, number, RegExp, string]> = [
      ['liste.chefs-20', 13, /out of bounds \(1\.\.19, 21\.\.95\)/, `liste.chefs-21${D}`],
      ['liste.chefs-96', 13, /out of bounds/, `liste.chefs-06${D}`],
      ['liste.chef-56', 11, /expected categories \(chefs\)/, `liste.chefs-56${D}`],
      ['lsite.chefs-56', 2, /expected "liste\."/, `liste.chefs-56${D}`],
      ['liste.chefs-bretagn', 20, /found the end of the name, expected regions \(bretagne\)/, `liste.chefs-bretagne${D}`],
      ['liste.capitaines-56', 8, /expected categories \(civils, chefs\)/, `liste.civils-56${D}`],
      ['liste.chefs', 12, /expected "\." or "-"/, ''],
      ['liste.chefs-site-', 18, /expected <town>/, ''],
    ];
    for (const [name, column, reason, suggestion] of cases) {
      assert.throws(
        () => resolver.resolve(name + D),
        (e: unknown) => {
          assert.ok(e instanceof NoSuchListError, name);
          assert.equal(e.column, column, `${name}: ${e.message}`);
          assert.match(e.message, reason, name);
          assert.ok(e.suggestions.length <= 3);
          if (suggestion) assert.ok(e.suggestions.includes(suggestion), `${name}: ${e.suggestions.join(', ')}`);
          for (const s of e.suggestions) assert.doesNotThrow(() => resolver.resolve(s), s);
          return true;
        },
      );
    }
  });

  it('refuses other domains, non-addresses and over-long addresses', () => {
    assert.throws(() => resolver.resolve('liste.chefs-56@example.com'), UnknownDomainError);
    assert.throws(() => resolver.resolve('liste.chefs-56'), AddressInvalidError);
    assert.throws(() => resolver.resolve(`@lists.example.org`), AddressInvalidError);
    assert.throws(() => resolver.resolve(`liste.chefs-site-${'a'.repeat(240)}${D}`), /longer than 254 octets/);
    assert.throws(() => resolver.resolve(`liste.chefs-site-${'a'.repeat(200)}${D}`), AddressTooLongError);
    assert.doesNotThrow(() => resolver.resolve(`liste.chefs-site-${'a'.repeat(64 - 'liste.chefs-site-'.length)}${D}`));
  });

  it('caches results, good and bad', () => {
    const a = resolver.resolve(`liste.pilotes-29${D}`);
    assert.equal(resolver.resolve(`liste.pilotes-29${D}`), a);
    let first: unknown;
    let second: unknown;
    try {
      resolver.resolve(`liste.x${D}`);
    } catch (e) {
      first = e;
    }
    try {
      resolver.resolve(`liste.x${D}`);
    } catch (e) {
      second = e;
    }
    assert.ok(first instanceof NoSuchListError);
    assert.equal(first, second);
  });
});

describe('the shipped family auto', () => {
  const resolver = shippedResolver();
  it('bounds ages to 20..99 and builds the subject from the lexicon', () => {
    const list = resolver.resolve(`auto-cio.40${D}`);
    assert.equal(list.subject, '[CHIEF INFO OFF of 40]');
    assert.equal(list.description, 'Every 40 years old chief information officer');
    assert.equal(list.filterText, '(&(objectClass=inetOrgPerson)(employeeType=CHIEF INFO OFF)(personAge=40))');
    assert.equal(list.directory.scope, 'one');
    for (const bad of ['auto-cio.19', 'auto-cio.100', 'auto-ceo.40', 'auto-cio.04']) assert.throws(() => resolver.resolve(bad + D), NoSuchListError, bad);
  });
});
