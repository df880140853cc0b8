import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { autolist } from '../harness/cli.js';
import { familiesWith } from '../harness/families.js';

describe('the autolist command', () => {
  it('check: every shipped family compiles (exit 0)', async () => {
    const r = await autolist(['check']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ok {4}liste .*7 rules/);
    assert.match(r.stdout, /2 of 2 families compiled/);
  });

  it('check: a broken family names file:line:column (exit 1)', async () => {
    const families = familiesWith();
    const charter = families.liste;
    writeFileSync(charter, 'family liste\ndomain lists.example.org\nbase "dc=example,dc=org"\n<address> ::= \'liste.\' <who>\n');
    const r = await autolist(['check', join(families.dir, 'liste')]);
    families.dispose();
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${charter.replace(/[.]/g, '\\.')}:4:24: <who> is used but not defined`));
  });

  it('resolve: the definition, as text or JSON (exit 0)', async () => {
    // Another order of the categories is the same list: its canonical address is the one shown.
    const text = await autolist(['resolve', 'liste.civils.chefs-56@lists.example.org']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^address {6}liste\.chefs\.civils-56@lists\.example\.org$/m);
    assert.match(text.stdout, /description {2}Chefs civils du département 56/);
    assert.match(text.stdout, /filter {7}\(&\(title=chef\)\(employeeType=civil\)\(departmentNumber=56\)\)/);
    const json = await autolist(['resolve', '--json', 'liste.chefs-56@lists.example.org']);
    assert.equal(json.code, 0);
    const list = JSON.parse(json.stdout);
    assert.equal(list.filter, '(&(title=chef)(departmentNumber=56))');
    assert.equal(list.subject, '[chefs-56]');
    // The rights in words are in the family's language (liste: French), as the API gives them.
    assert.equal(list.rights.subscribe, 'fermé');
  });

  it('resolve: no such list, with suggestions (exit 1)', async () => {
    const r = await autolist(['resolve', 'liste.chfs-56@lists.example.org']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no such list liste\.chfs-56@lists\.example\.org: at column 9/);
    assert.match(r.stderr, /did you mean: liste\.chefs-56@lists\.example\.org/);
    const json = await autolist(['resolve', '--json', 'liste.chfs-56@lists.example.org']);
    assert.equal(json.code, 1);
    assert.equal(JSON.parse(json.stdout).code, 'NO_SUCH_LIST');
  });

  it('resolve: a category twice is no list, and the reason says which (exit 1)', async () => {
    const r = await autolist(['resolve', 'liste.chefs.chefs-56@lists.example.org']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no such list liste\.chefs\.chefs-56@lists\.example\.org: at column 13: "chefs" is already in the name/);
  });

  it('enumerate: a finite family whole; an infinite one needs --limit', async () => {
    const auto = await autolist(['enumerate', 'auto']);
    assert.equal(auto.code, 0);
    assert.equal(auto.stdout.trim().split('\n').length, 240);
    const refused = await autolist(['enumerate', 'liste']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /infinitely many names .*give --limit N/);
    const limited = await autolist(['enumerate', 'liste', '--limit', '3']);
    assert.deepEqual(limited.stdout.trim().split('\n'), ['liste.personnels-national@lists.example.org', 'liste.personnels-01@lists.example.org', 'liste.personnels-02@lists.example.org']);
  });

  it('enumerate: no name longer than the configured local part (AUTOLIST_LOCAL_PART_MAX), which the resolver refuses', async () => {
    const r = await autolist(['enumerate', 'liste', '--limit', '100000'], { AUTOLIST_LOCAL_PART_MAX: '24' });
    assert.equal(r.code, 0, r.stderr);
    const locals = r.stdout
      .trim()
      .split('\n')
      .map((address) => address.split('@')[0] as string);
    assert.ok(locals.includes('liste.personnels-56') && locals.includes('liste.chefs.civils-56'));
    assert.ok(!locals.includes('liste.personnels-national'), '25 octets');
    for (const local of locals) assert.ok(local.length <= 24, local);
  });

  it('usage errors exit 2; --help exits 0 everywhere', async () => {
    assert.equal((await autolist([])).code, 2);
    assert.equal((await autolist(['frobnicate'])).code, 2);
    assert.equal((await autolist(['resolve'])).code, 2);
    assert.equal((await autolist(['resolve', 'a', 'b'])).code, 2);
    assert.equal((await autolist(['enumerate', 'liste', '--limit', '-1'])).code, 2);
    assert.equal((await autolist(['resolve', '--colour', 'x'])).code, 2);
    for (const command of ['check', 'resolve', 'enumerate', 'examples']) {
      const r = await autolist([command, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^autolist ${command}`));
    }
    assert.match((await autolist(['--help'])).stdout, /Exit codes/);
  });

  it('a bad configuration value is refused with a clear message', async () => {
    const r = await autolist(['resolve', 'liste.chefs-56@lists.example.org'], { AUTOLIST_RESOLVER_CACHE_ENTRIES: 'lots' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /AUTOLIST_RESOLVER_CACHE_ENTRIES="lots": expected a whole number/);
  });
});
