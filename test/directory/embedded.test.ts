import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scope } from '../../src/directory/directory.js';
import { DirectoryNoSuchBaseError, EmbeddedDirectory, matchesEntry } from '../../src/directory/index.js';
import { parseFilter } from '../../src/filter/index.js';

const LDIF = `
dn: dc=example,dc=org
objectClass: top
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=people,dc=example,dc=org
objectClass: organizationalUnit
ou: people

dn: uid=jean,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
objectClass: posixAccount
uid: jean
cn: Jean  Chef
sn: Chef
title: Chef
mail: Jean.Chef@Example.org
departmentNumber: 56
uidNumber: 1001
gidNumber: 100
homeDirectory: /home/Jean

dn: uid=paul,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: paul
cn: Paul Santoni
sn: Santoni
title: chef
mail: paul@example.org
mail: p.santoni@example.org
departmentNumber: 2A

dn: uid=luc,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: luc
cn: Luc Sansmail
sn: Sansmail
title: plongeur
departmentNumber: 56

dn: ou=sites,dc=example,dc=org
objectClass: organizationalUnit
ou: sites

dn: ou=lorient,ou=sites,dc=example,dc=org
objectClass: organizationalUnit
objectClass: extensibleObject
ou: lorient
l: lorient
departmentNumber: 56
`;

const directory = EmbeddedDirectory.fromLdif(LDIF);

/** The uid, or else the first RDN value, of each entry found, sorted. */
async function found(filter: string, base = 'dc=example,dc=org', scope: Scope = 'sub'): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of directory.search({ base, scope, filter: parseFilter(filter), attributes: ['1.1'] })) {
    names.push((/^[^=]+=([^,]+)/.exec(entry.dn) as RegExpExecArray)[1]!.toLowerCase());
  }
  return names.sort();
}

const PERSONS = ['jean', 'luc', 'paul'];
const EVERYTHING = ['example', 'jean', 'lorient', 'luc', 'paul', 'people', 'sites'];

describe('the embedded directory matches as slapd does', () => {
  const cases: [string, string, string[]][] = [
    ['title is case-insensitive (caseIgnoreMatch): Chef and chef alike', '(title=chef)', ['jean', 'paul']],
    ['... in any case of the assertion', '(title=CHEF)', ['jean', 'paul']],
    ['mail is case-insensitive (caseIgnoreIA5Match)', '(mail=JEAN.CHEF@EXAMPLE.ORG)', ['jean']],
    ['any value of a multi-valued attribute matches', '(mail=p.santoni@example.org)', ['paul']],
    ['a département 2A is matched by 2a', '(departmentNumber=2a)', ['paul']],
    ['homeDirectory is case-exact (caseExactIA5Match)', '(homeDirectory=/home/jean)', []],
    ['... and matches in its own case', '(homeDirectory=/home/Jean)', ['jean']],
    ['insignificant spaces are ignored', '(cn=  jean chef )', ['jean']],
    ['attribute names are case-insensitive', '(TITLE=chef)', ['jean', 'paul']],
    ['an attribute is named by any of its names', '(commonName=paul santoni)', ['paul']],
    ['... or by its OID', '(2.5.4.12=plongeur)', ['luc']],
    ['a supertype matches its subtypes (name: cn, sn, ou, l, title...)', '(name=lorient)', ['lorient']],
    ['substrings: initial', '(mail=jean*)', ['jean']],
    ['substrings: any, in order', '(cn=*an*ch*)', ['jean']],
    ['substrings: out of order does not match', '(cn=*ch*an*)', []],
    ['substrings: final, case-insensitive', '(cn=*SANTONI)', ['paul']],
    ['substrings: initial and final may not overlap', '(uid=pau*aul)', []],
    ['presence', '(mail=*)', ['jean', 'paul']],
    ['presence of objectClass: every entry', '(objectClass=*)', EVERYTHING],
    ['an object class names its subclasses too', '(objectClass=person)', PERSONS],
    ['object classes are case-insensitive', '(objectClass=ORGANIZATIONALUNIT)', ['lorient', 'people', 'sites']],
    ['integers by value (integerMatch)', '(uidNumber=1001)', ['jean']],
    ['ordering of integers, by value (integerOrderingMatch)', '(uidNumber>=999)', ['jean']],
    ['... both ways', '(uidNumber<=999)', []],
    ['ordering without an ordering rule (departmentNumber has none) is Undefined', '(|(departmentNumber>=0)(departmentNumber<=0))', []],
    ['AND', '(&(title=chef)(departmentNumber=56))', ['jean']],
    ['OR', '(|(title=plongeur)(departmentNumber=2A))', ['luc', 'paul']],
    ['NOT of an absent attribute is True', '(&(objectClass=person)(!(mail=*)))', ['luc']],
    ['NOT of a value the entry lacks is True', '(&(objectClass=person)(!(title=chef)))', ['luc']],
    ['an unknown attribute is Undefined, never a match', '(foo=bar)', []],
    ['... nor is its presence', '(foo=*)', []],
    ['... and NOT Undefined is Undefined', '(!(foo=bar))', []],
    ['Undefined OR True is True', '(|(foo=bar)(title=plongeur))', ['luc']],
    ['Undefined AND False is False, and NOT False is True', '(!(&(foo=bar)(title=chef)))', ['example', 'lorient', 'luc', 'people', 'sites']],
    ['a value its syntax refuses is Undefined (uidNumber is an integer)', '(!(uidNumber=abc))', []],
    ['an unknown object class is Undefined', '(!(objectClass=noSuchClass))', []],
    ['filter metacharacters are values once escaped', '(cn=jean \\2a)', []],
  ];
  for (const [what, filter, expected] of cases) {
    it(`${what}: ${filter}`, async () => {
      assert.deepEqual(await found(filter), expected);
    });
  }
});

describe('scopes and bases', () => {
  it('sub: the base and everything below it', async () => {
    assert.deepEqual(await found('(objectClass=*)', 'ou=sites,dc=example,dc=org', 'sub'), ['lorient', 'sites']);
  });

  it('one: the children of the base only', async () => {
    assert.deepEqual(await found('(objectClass=*)', 'dc=example,dc=org', 'one'), ['people', 'sites']);
  });

  it('base: the base entry alone, if it matches', async () => {
    assert.deepEqual(await found('(objectClass=*)', 'uid=paul,ou=people,dc=example,dc=org', 'base'), ['paul']);
    assert.deepEqual(await found('(title=plongeur)', 'uid=paul,ou=people,dc=example,dc=org', 'base'), []);
  });

  it('a base DN is compared by its matching rules: case and spaces do not matter', async () => {
    assert.deepEqual(await found('(title=chef)', 'OU=People , DC=Example,dc=ORG', 'one'), ['jean', 'paul']);
  });

  it('a base that names no entry is DirectoryNoSuchBaseError (permanent), not an empty answer', async () => {
    for (const base of ['ou=nobody,dc=example,dc=org', 'not a dn']) {
      await assert.rejects(found('(objectClass=*)', base), (error: unknown) => error instanceof DirectoryNoSuchBaseError && error.temporary === false);
    }
  });
});

describe('attributes returned', () => {
  async function only(attributes: string[]): Promise<Record<string, string[]>> {
    const base = 'uid=paul,ou=people,dc=example,dc=org';
    for await (const entry of directory.search({ base, scope: 'base', filter: parseFilter('(objectClass=*)'), attributes })) return entry.attributes;
    assert.fail('no entry');
  }

  it('the attributes asked, in any case, with all their values', async () => {
    assert.deepEqual(await only(['MAIL']), { mail: ['paul@example.org', 'p.santoni@example.org'] });
  });

  it('a supertype asked returns its subtypes', async () => {
    assert.deepEqual(Object.keys(await only(['name'])).sort(), ['cn', 'sn', 'title']);
  });

  it('every attribute for none or *, none for 1.1', async () => {
    assert.deepEqual(Object.keys(await only([])).sort(), ['cn', 'departmentnumber', 'mail', 'objectclass', 'sn', 'title', 'uid']);
    assert.deepEqual(await only(['*']), await only([]));
    assert.deepEqual(await only(['1.1']), {});
  });

  it('names attributes by their first schema name, lower-cased, as they were loaded', async () => {
    const loaded = EmbeddedDirectory.fromLdif('dn: cn=x,dc=org\nobjectClass: device\ncommonName: x\nDescription: d\n');
    const entries = [];
    for await (const entry of loaded.search({ base: 'CN=X,DC=org', scope: 'base', filter: parseFilter('(cn=x)'), attributes: [] })) entries.push(entry);
    assert.deepEqual(entries, [{ dn: 'cn=x,dc=org', attributes: { objectclass: ['device'], cn: ['x'], description: ['d'] } }]);
  });
});

describe('matchesEntry', () => {
  it('tests one entry against a filter, whatever the case of its attribute names', () => {
    const entry = { dn: 'uid=x,dc=example,dc=org', attributes: { objectClass: ['inetOrgPerson'], Title: ['CHEF'], MAIL: ['X@Example.org'] } };
    assert.equal(matchesEntry(entry, parseFilter('(&(objectClass=person)(title=chef)(mail=x@example.org))')), true);
    assert.equal(matchesEntry(entry, parseFilter('(title=chef*)')), true);
    assert.equal(matchesEntry(entry, parseFilter('(!(foo=bar))')), false);
    assert.equal(matchesEntry(entry, parseFilter('(!(departmentNumber=56))')), true);
  });
});
