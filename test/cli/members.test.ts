import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_DIRECTORY, PROJECT_ROOT } from '../../src/config/config.js';
import { parseLdif } from '../../src/directory/embedded/index.js';
import { TcpProxy } from '../directory/tcp-proxy.js';
import { autolist, CLI } from '../harness/cli.js';
import { freePort } from '../harness/ports.js';
import { Slapd } from '../harness/slapd.js';
import { JEAN_DUPONT_LDIF, JEAN_DUPONT_MEMBERS } from '../membership/helpers.js';

/** The demo's persons (inetOrgPerson entries), attribute names in lower case. Written apart from the product. */
function demoPersons(): Map<string, string[]>[] {
  const persons: Map<string, string[]>[] = [];
  for (const record of parseLdif(readFileSync(DEMO_DIRECTORY, 'utf8'))) {
    const attributes = new Map<string, string[]>();
    for (const [name, value] of record.attributes) attributes.set(name.toLowerCase(), [...(attributes.get(name.toLowerCase()) ?? []), value]);
    if (attributes.get('objectclass')?.includes('inetOrgPerson')) persons.push(attributes);
  }
  return persons;
}

/** The mail values of the demo persons a predicate selects, as members: lower case, distinct, sorted. */
function demoMembers(select: (attributes: Map<string, string[]>) => boolean): string[] {
  const mails = new Set<string>();
  for (const attributes of demoPersons()) if (select(attributes)) for (const mail of attributes.get('mail') ?? []) mails.add(mail.toLowerCase());
  return [...mails].sort();
}

const is = (attributes: Map<string, string[]>, name: string, value: string): boolean => (attributes.get(name) ?? []).some((v) => v.toLowerCase() === value);
const lines = (text: string): string[] => text.split('\n').filter(Boolean);

describe('autolist members, on the demo directory', { concurrency: true }, () => {
  it('prints the members one a line (title matched in any case)', async () => {
    const r = await autolist(['members', 'liste.chefs-56@lists.example.org']);
    assert.equal(r.code, 0, r.stderr);
    const expected = demoMembers((a) => is(a, 'title', 'chef') && is(a, 'departmentnumber', '56'));
    assert.ok(expected.includes('chef.bretagne@example.org'));
    assert.deepEqual(lines(r.stdout), expected);
    assert.doesNotMatch(r.stderr, /expanding/, 'no progress line when standard error is not a terminal');
  });

  it('--count prints the count alone; --json the members counted', async () => {
    const [count, json] = await Promise.all([
      autolist(['members', '--count', 'liste.personnels-national@lists.example.org']),
      autolist(['members', '--json', 'liste.personnels-national@lists.example.org']),
    ]);
    const expected = demoMembers(() => true);
    assert.equal(count.code, 0, count.stderr);
    assert.equal(count.stdout, `${expected.length}\n`);
    const result = JSON.parse(json.stdout);
    assert.equal(result.address, 'liste.personnels-national@lists.example.org');
    assert.equal(result.total, expected.length);
    assert.deepEqual(result.members, expected);
    const persons = demoPersons().length;
    assert.equal(result.entries, persons);
    assert.equal(result.unreachable, persons - expected.length, 'persons without mail');
    assert.equal(result.stale, false);
  });

  it('an address that names no list: exit 1, with suggestions', async () => {
    const r = await autolist(['members', 'liste.chfs-56@lists.example.org']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no such list liste\.chfs-56@lists\.example\.org/);
    assert.match(r.stderr, /did you mean: liste\.chefs-56@lists\.example\.org/);
    assert.equal(r.stdout, '');
  });

  it('a bad command line: exit 2 with the usage', async () => {
    const r = await autolist(['members']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /members takes one ADDRESS/);
    assert.match(r.stderr, /autolist members ADDRESS \[--json \| --count\]/);
  });
});

describe('autolist members, on LDAP (AUTOLIST_LDAP_URL)', () => {
  let slapd: Slapd;
  let env: Record<string, string>;

  before(async () => {
    slapd = await Slapd.start({ ldif: DEMO_DIRECTORY });
    env = { AUTOLIST_LDAP_URL: slapd.url, AUTOLIST_LDAP_BIND_DN: slapd.bindDN, AUTOLIST_LDAP_BIND_PASSWORD: slapd.password, AUTOLIST_LDAP_PAGE_SIZE: '100' };
  });

  after(async () => {
    await slapd?.dispose();
  });

  it('gives the members ldapsearch gives, and the embedded directory', async () => {
    const address = 'liste.civils.chefs-bretagne@lists.example.org';
    const [fromLdap, fromDemo] = await Promise.all([autolist(['members', address], env), autolist(['members', address])]);
    assert.equal(fromLdap.code, 0, fromLdap.stderr);
    const filter = '(&(employeeType=civil)(title=chef)(|(departmentNumber=22)(departmentNumber=29)(departmentNumber=35)(departmentNumber=56)))';
    const expected = [...new Set(parseLdif(await slapd.ldapsearch(filter, { attributes: ['mail'] })).flatMap((r) => r.attributes.map(([, v]) => v.toLowerCase())))].sort();
    assert.ok(expected.length > 10);
    assert.deepEqual(lines(fromLdap.stdout), expected);
    assert.equal(fromLdap.stdout, fromDemo.stdout);
  });

  it('on a terminal, a long expansion shows its progress on standard error (entries read, seconds), then clears it', { timeout: 60_000 }, async () => {
    // `script` gives the command a terminal. The directory's answers are held back after a few pages
    // (of 100 entries, about 9 kB each) until the progress line shows entries read: the expansion is long.
    const proxy = await TcpProxy.start(Number(new URL(slapd.url).port));
    proxy.holdRepliesAfter(30_000);
    const address = 'liste.personnels-national@lists.example.org';
    const command = [process.execPath, '--import', 'tsx', CLI, 'members', address].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: PROJECT_ROOT, env: { ...process.env, ...env, AUTOLIST_LDAP_URL: proxy.url, AUTOLIST_LOG_LEVEL: 'warn' } });
    const progress = /\rexpanding liste\.personnels-national@lists\.example\.org… ([\d,]+) entries, \d+\.\d s/g;
    let output = '';
    const counts = (): number[] => [...output.matchAll(progress)].map((m) => Number(m[1]?.replaceAll(',', '')));
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      if (counts().some((n) => n > 0)) proxy.release();
    });
    try {
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0, output);
      const shown = counts();
      assert.ok(
        shown.some((n) => n >= 100 && n < 3000),
        `entries read while held back: ${shown.join(', ')}\n${output}`,
      );
      assert.match(output, /\r\x1b\[K/);
      assert.match(output, /^chef\.bretagne@example\.org\r?$/m);
    } finally {
      proxy.release();
      child.kill();
      await proxy.close();
    }
  });

  it('a directory that is down: exit 75, saying to try again later', async () => {
    const port = await freePort();
    const r = await autolist(['members', 'liste.chefs-56@lists.example.org'], { ...env, AUTOLIST_LDAP_URL: `ldap://127.0.0.1:${port}` });
    assert.equal(r.code, 75);
    assert.match(r.stderr, /autolist members: no directory server answered .*ECONNREFUSED/);
    assert.match(r.stderr, /try again later/);
    assert.equal(r.stdout, '');
  });

  it('a wrong password: exit 1, naming the refused bind', async () => {
    const r = await autolist(['members', '--json', 'liste.chefs-56@lists.example.org'], { ...env, AUTOLIST_LDAP_BIND_PASSWORD: 'wrong' });
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout).code, 'DIRECTORY_BAD_CREDENTIALS');
  });
});

describe('autolist members, addresses as the directory writes them', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-case-'));
    writeFileSync(join(dir, 'directory.ldif'), JEAN_DUPONT_LDIF);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints Jean.Dupont@Example.org as Jean.Dupont@example.org, sorted without case', async () => {
    const r = await autolist(['members', 'liste.chefs-56@lists.example.org'], { AUTOLIST_DIRECTORY_LDIF: join(dir, 'directory.ldif') });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), JEAN_DUPONT_MEMBERS);
  });
});
