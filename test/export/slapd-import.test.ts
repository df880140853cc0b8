import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { DEMO_DIRECTORY } from '../../src/config/config.js';
import { parseLdif } from '../../src/directory/embedded/index.js';
import { writeExport } from '../../src/export/index.js';
import { autolist } from '../harness/cli.js';
import { D } from '../harness/families.js';
import { Slapd } from '../harness/slapd.js';
import { listsWithMembers } from './expected-lists.js';

const run = promisify(execFile);
const BASE = 'ou=lists,dc=example,dc=org';

describe('an export imports into slapd and holds exactly the lists with members', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autolist-export-'));
  let source: Slapd;
  let target: Slapd;

  before(async () => {
    source = await Slapd.start({ ldif: DEMO_DIRECTORY });
    const top = join(dir, 'top.ldif');
    writeFileSync(top, `dn: dc=example,dc=org\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\ndn: ${BASE}\nobjectClass: organizationalUnit\nou: lists\n`);
    target = await Slapd.start({ ldif: top });
  });
  after(async () => {
    await source?.dispose();
    await target?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** ldapadd as the target's rootdn. */
  const ldapadd = (file: string) => run('ldapadd', ['-x', '-H', target.url, '-D', target.bindDN, '-w', target.password, '-f', file], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  /** The entries under `base` in the target: mail, cn, description. */
  const imported = async (base: string) => parseLdif(await target.ldapsearch('(objectClass=organizationalRole)', { base, scope: 'one', attributes: ['mail', 'cn', 'description'] }));
  const value = (record: { attributes: [string, string][] }, name: string) => record.attributes.find(([n]) => n.toLowerCase() === name)?.[1];

  it('exports liste from the demo directory on slapd, and the second slapd holds those lists and no other', async () => {
    const exported = await autolist(
      ['export', 'liste', '--format', 'ldif', '--base', BASE],
      {
        AUTOLIST_LDAP_URL: source.url,
        AUTOLIST_LDAP_BIND_DN: source.bindDN,
        AUTOLIST_LDAP_BIND_PASSWORD: source.password,
        // Lists are expanded as many at a time as the pool has connections.
        AUTOLIST_LDAP_POOL_SIZE: '8',
      },
      // About 5,000 lists expanded: some 10 s on an idle machine.
      300_000,
    );
    assert.equal(exported.code, 0, exported.stderr);
    const file = join(dir, 'liste.ldif');
    writeFileSync(file, exported.stdout);
    await ldapadd(file);

    const records = await imported(BASE);
    const found = records.map((r) => value(r, 'mail') as string);
    const entries = parseLdif(await source.ldapsearch('(mail=*)', { attributes: ['objectClass', 'mail', 'title', 'employeeType', 'departmentNumber', 'l'] }));
    const expected = listsWithMembers(entries, D);
    assert.ok(expected.size > 1000, `${expected.size} lists with members computed from the entries`);
    assert.deepEqual(found.sort(), [...expected].sort());
    assert.equal(new Set(found).size, found.length, 'each list once');

    const mails = new Set(found);
    assert.ok(mails.has(`liste.personnels-site-grenoble${D}`), 'a list of an open token class filled from the directory');
    assert.ok(!mails.has(`liste.civils.militaires-75${D}`), 'a list without members');
    const chefs = records.find((r) => value(r, 'mail') === `liste.chefs-56${D}`);
    assert.equal(chefs && value(chefs, 'cn'), 'Chefs du département 56');
    assert.equal(chefs && value(chefs, 'description'), 'Chefs du département 56');
  });

  it('imports entries whose addresses and descriptions need escaping, each value read back as written', async () => {
    const base = 'ou=nasty\\, lists,ou=lists,dc=example,dc=org';
    writeFileSync(join(dir, 'nasty-top.ldif'), `dn: ${base}\nobjectClass: organizationalUnit\nou: nasty, lists\n`);
    await ldapadd(join(dir, 'nasty-top.ldif'));
    const lists = [
      { family: 'x', address: '"a,b+c"@example.org', description: 'Virgule, plus + et "guillemets" ; <chevrons> \\ barre', members: 1 },
      { family: 'x', address: '#diese@example.org', description: ' espace en tête et en fin ', members: 2 },
      { family: 'x', address: 'utf8@example.org', description: `Élèves de l’école de Saint-Étienne — ${'très '.repeat(20)}longue`, members: 3 },
      { family: 'x', address: 'colon@example.org', description: ':<commence mal', members: 4 },
    ];
    const file = join(dir, 'nasty.ldif');
    writeFileSync(file, [...writeExport(lists, { format: 'ldif', counts: true, bom: false, baseOf: () => base })].join(''));
    await ldapadd(file);
    const records = await imported(base);
    assert.deepEqual(
      records.map((r) => ({ address: value(r, 'mail'), cn: value(r, 'cn'), description: value(r, 'description') })).sort((a, b) => (a.address as string).localeCompare(b.address as string)),
      lists.map((l) => ({ address: l.address, cn: l.description, description: l.description })).sort((a, b) => a.address.localeCompare(b.address)),
    );
  });
});
