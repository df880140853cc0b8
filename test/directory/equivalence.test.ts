/**
 * The embedded directory and the LDAP directory against a real slapd, on the same generated LDIF:
 * hand-written filters give the DNs ldapsearch gives, and every form of `liste` address (and some of
 * `auto`) expands to the same members through either directory as the mail values ldapsearch prints.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Resolver } from '../../src/charter/resolver.js';
import { loadConfig } from '../../src/config/config.js';
import type { Scope } from '../../src/directory/directory.js';
import { EmbeddedDirectory, type LdapDirectory } from '../../src/directory/index.js';
import { parseFilter } from '../../src/filter/index.js';
import type { Membership } from '../../src/membership/index.js';
import { catalogFor } from '../../src/services.js';
import { BASE_DN } from '../fixtures/generate-directory.js';
import { asMembers, dnsOf, type Fixture, ldapOf, ldapsearchOf, membershipOf, startFixture } from './helpers.js';

const PERSONS = 3000;
/** Chiefs with an age, for the `auto` family and personAge (demo/person-age.schema). */
const CHIEFS = 200;

let fixture: Fixture;
let embedded: EmbeddedDirectory;
let ldap: LdapDirectory;
let overLdap: Membership;
let overEmbedded: Membership;
let resolver: Resolver;

before(async () => {
  fixture = await startFixture({ persons: PERSONS, chiefs: CHIEFS, seed: 11 });
  embedded = await EmbeddedDirectory.load(fixture.ldif);
  // Pages far smaller than most answers: every large expansion crosses many pages.
  ldap = ldapOf(fixture.slapd, { pageSize: 250 });
  overLdap = membershipOf(ldap);
  overEmbedded = membershipOf(embedded);
  resolver = catalogFor(loadConfig({})).resolver;
});

after(async () => {
  await ldap?.close();
  await fixture?.dispose();
});

describe('the embedded directory answers filters as slapd does', () => {
  // Written by hand as ldapsearch takes them; the fixture's hostile values are in some.
  const filters = [
    '(title=chef)',
    '(title=CHEF)',
    '(title=Chef)',
    '(title=chef*)',
    '(title=*HE*)',
    '(title=c*f)',
    '(title=che*hef)',
    '(mail=CHEF.BRETAGNE@EXAMPLE.ORG)',
    '(mail=*@alias.example.org)',
    '(mailLocalAddress=Jean.Chef@example.org)',
    '(mailLocalAddress=*)',
    '(departmentNumber=2a)',
    '(departmentNumber=2B)',
    '(departmentNumber=01)',
    '(departmentNumber=1)',
    '(departmentNumber>=95)',
    '(cn=*étoile*)',
    '(cn=*ÉTOILE*)',
    '(cn=*etoile*)',
    '(cn=hélène*)',
    '(cn=Hélène \\2a\\28Étoile\\29\\2a \\5c ok)',
    '(cn=François \\28le\\29 \\2agrand\\2a)',
    '(description=espaces en trop)',
    '(description=*en  trop*)',
    '(description=  espaces*)',
    '(description=*barre et \\2a*)',
    '(telephoneNumber=+33298000001)',
    '(telephoneNumber=*98 00*)',
    '(telephoneNumber=+33 2-98-00-00-01)',
    '(givenName=gaëlle)',
    '(givenName=GAËLLE)',
    '(sn=le  goff)',
    '(sn=*le g*)',
    '(sn=quéméneur)',
    '(l=SAINT-MALO)',
    '(l=saint*)',
    '(name=lorient)',
    '(ou=*)',
    '(dc=EXAMPLE)',
    '(o=example)',
    '(uid=p00001*)',
    '(uid=*5)',
    '(uid=hostile.*)',
    '(employeeType=CIVIL)',
    '(objectClass=person)',
    '(objectClass=organizationalUnit)',
    '(objectClass=extensibleObject)',
    '(objectClass=inetLocalMailRecipient)',
    '(objectClass=*)',
    '(!(mail=*))',
    '(&(objectClass=inetOrgPerson)(!(mail=*)))',
    '(!(title=chef))',
    '(foo=bar)',
    '(!(foo=bar))',
    '(|(foo=bar)(title=plongeur))',
    '(&(foo=bar)(title=chef))',
    '(!(&(foo=bar)(title=chef)))',
    '(!(objectClass=noSuchClass))',
    '(&(title=chef)(|(departmentNumber=22)(departmentNumber=29)(departmentNumber=35)(departmentNumber=56)))',
    '(&(objectClass=organizationalUnit)(departmentNumber=2A))',
    '(&(title=gendarme)(employeeType=militaire)(l=lorient))',
    '(cn~=jean chef)',
    '(title~=shef)',
    // personAge is an integer: equality and ordering compare numbers; 040 is not an integer's form.
    '(personAge=40)',
    '(personAge=040)',
    '(personAge>=90)',
    '(personAge<=25)',
    '(personAge=*)',
    '(objectClass=agedPerson)',
    '(employeeType=chief*)',
    '(&(employeeType=CHIEF INFO OFF)(personAge=40))',
  ];
  for (const filter of filters) {
    it(filter, async () => {
      const expected = await ldapsearchOf(fixture.slapd, filter);
      assert.deepEqual(await dnsOf(embedded, { base: BASE_DN, scope: 'sub', filter: parseFilter(filter), attributes: ['1.1'] }), expected.dns);
    });
  }

  const scoped: [string, Scope, string][] = [
    [`ou=sites,${BASE_DN}`, 'one', '(objectClass=*)'],
    [`ou=sites,${BASE_DN}`, 'sub', '(objectClass=*)'],
    [`ou=sites,${BASE_DN}`, 'base', '(objectClass=*)'],
    [BASE_DN, 'one', '(objectClass=*)'],
    [`uid=chef.bretagne,ou=people,${BASE_DN}`, 'base', '(title=chef)'],
    [`UID=Chef.Bretagne, OU=People,${BASE_DN}`, 'sub', '(title=CHEF)'],
  ];
  for (const [base, scope, filter] of scoped) {
    it(`scope ${scope} under ${base}: ${filter}`, async () => {
      const expected = await ldapsearchOf(fixture.slapd, filter, { base, scope });
      assert.ok(expected.dns.length > 0);
      assert.deepEqual(await dnsOf(embedded, { base, scope, filter: parseFilter(filter), attributes: ['1.1'] }), expected.dns);
      assert.deepEqual(await dnsOf(ldap, { base, scope, filter: parseFilter(filter), attributes: ['1.1'] }), expected.dns);
    });
  }
});

describe('liste and auto addresses expand to the same members through LDAP, the embedded directory and ldapsearch', () => {
  // Each WHO (personnels, sites, every category of categories.tsv, combinations) and each WHERE
  // (national, départements, 2A/2B, regions of regions.tsv, sites), with the filter written by hand.
  const BRETAGNE = '(|(departmentNumber=22)(departmentNumber=29)(departmentNumber=35)(departmentNumber=56))';
  const IDF = '(|(departmentNumber=75)(departmentNumber=77)(departmentNumber=78)(departmentNumber=91)(departmentNumber=92)(departmentNumber=93)(departmentNumber=94)(departmentNumber=95))';
  const CORSE = '(|(departmentNumber=2A)(departmentNumber=2B))';
  const PACA = '(|(departmentNumber=04)(departmentNumber=05)(departmentNumber=06)(departmentNumber=13)(departmentNumber=83)(departmentNumber=84))';
  const table: [address: string, filter: string, empty?: 'empty'][] = [
    ['liste.personnels-national', '(objectClass=inetOrgPerson)'],
    ['liste.sites-national', '(objectClass=organizationalUnit)'],
    ['liste.chefs-national', '(title=chef)'],
    ['liste.plongeurs-56', '(&(title=plongeur)(departmentNumber=56))'],
    ['liste.pilotes-29', '(&(title=pilote)(departmentNumber=29))'],
    ['liste.gendarmes-01', '(&(title=gendarme)(departmentNumber=01))'],
    ['liste.mecaniciens-75', '(&(title=mecanicien)(departmentNumber=75))'],
    ['liste.civils-2a', '(&(employeeType=civil)(departmentNumber=2A))'],
    ['liste.militaires-2b', '(&(employeeType=militaire)(departmentNumber=2B))'],
    ['liste.chefs-2a', '(&(title=chef)(departmentNumber=2A))'],
    ['liste.chefs-2b', '(&(title=chef)(departmentNumber=2B))'],
    ['liste.chefs-75', '(&(title=chef)(departmentNumber=75))'],
    ['liste.chefs-bretagne', `(&(title=chef)${BRETAGNE})`],
    ['liste.personnels-idf', `(&(objectClass=inetOrgPerson)${IDF})`],
    ['liste.sites-corse', `(&(objectClass=organizationalUnit)${CORSE})`],
    ['liste.gendarmes-paca', `(&(title=gendarme)${PACA})`],
    ['liste.civils.chefs-56', '(&(employeeType=civil)(title=chef)(departmentNumber=56))'],
    ['liste.chefs.militaires-corse', `(&(title=chef)(employeeType=militaire)${CORSE})`],
    ['liste.militaires.plongeurs-national', '(&(title=plongeur)(employeeType=militaire))'],
    ['liste.gendarmes.pilotes-national', '(&(title=gendarme)(title=pilote))', 'empty'],
    ['liste.personnels-site-lorient', '(&(objectClass=inetOrgPerson)(l=lorient))'],
    ['liste.sites-site-ajaccio', '(&(objectClass=organizationalUnit)(l=ajaccio))'],
    ['liste.pilotes-site-saint-malo', '(&(title=pilote)(l=saint-malo))'],
    ['liste.chefs-site-nulle-part', '(&(title=chef)(l=nulle-part))', 'empty'],
    ['auto-cio.83', '(&(objectClass=inetOrgPerson)(employeeType=CHIEF INFO OFF)(personAge=83))'],
    ['auto-cto.99', '(&(objectClass=inetOrgPerson)(employeeType=CHIEF TECH OFF)(personAge=99))'],
    ['auto-coo.20', '(&(objectClass=inetOrgPerson)(employeeType=CHIEF OPER OFF)(personAge=20))', 'empty'],
  ];

  for (const [name, filter, empty] of table) {
    const address = `${name}@lists.example.org`;
    it(`${name}: ${filter}`, async () => {
      const list = resolver.resolve(address);
      const expected = asMembers((await ldapsearchOf(fixture.slapd, filter, { attribute: 'mail' })).values);
      assert.equal(expected.length === 0, empty === 'empty', `ldapsearch found ${expected.length} members`);
      const [fromLdap, fromEmbedded] = await Promise.all([overLdap.expand(list), overEmbedded.expand(list)]);
      assert.deepEqual(fromLdap.members, expected, 'LDAP');
      assert.deepEqual(fromEmbedded.members, expected, 'embedded');
      assert.equal(fromLdap.entries, fromEmbedded.entries);
      assert.equal(fromLdap.unreachable, fromEmbedded.unreachable);
    });
  }

  it('persons without mail are counted unreachable, the same way through both directories', async () => {
    const list = resolver.resolve('liste.personnels-national@lists.example.org');
    const withoutMail = (await ldapsearchOf(fixture.slapd, '(&(objectClass=inetOrgPerson)(!(mail=*)))')).dns.length;
    assert.ok(withoutMail > 0);
    assert.equal((await overLdap.expand(list)).unreachable, withoutMail);
    assert.equal((await overEmbedded.expand(list)).unreachable, withoutMail);
    assert.equal((await overLdap.expand(list)).entries, PERSONS + CHIEFS);
  });

  it('a sender is found by either directory from an alternate address, in any case, with a +tag', async () => {
    const { directory: settings } = resolver.resolve('liste.chefs-56@lists.example.org');
    const viaLdap = await overLdap.findSender('<Jean.Chef+listes@Example.org>', settings);
    const viaEmbedded = await overEmbedded.findSender('<Jean.Chef+listes@Example.org>', settings);
    assert.equal(viaLdap?.dn.toLowerCase(), `uid=chef.bretagne,ou=people,${BASE_DN}`);
    assert.equal(viaEmbedded?.dn.toLowerCase(), viaLdap?.dn.toLowerCase());
    assert.deepEqual(viaLdap?.attributes.mail, viaEmbedded?.attributes.mail);
    assert.equal(await overLdap.findSender('nobody@example.org', settings), null);
  });
});
