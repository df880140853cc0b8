import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, DEMO_DIRECTORY, loadConfig } from '../../src/config/config.js';
import { catalogFor } from '../../src/services.js';

const dir = mkdtempSync(join(tmpdir(), 'autolist-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The problems a configuration is refused for. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

describe('the directory configuration', () => {
  it('is the shipped demo directory by default, an LDIF file with DIRECTORY_LDIF', () => {
    assert.deepEqual(loadConfig({}).directory, { kind: 'embedded', ldifFile: DEMO_DIRECTORY });
    const ldif = join(dir, 'people.ldif');
    writeFileSync(ldif, 'dn: dc=example,dc=org\nobjectClass: top\n');
    assert.deepEqual(loadConfig({ DIRECTORY_LDIF: ldif }).directory, { kind: 'embedded', ldifFile: ldif });
    assert.match(problems({ DIRECTORY_LDIF: join(dir, 'missing.ldif') }).join(), /DIRECTORY_LDIF: no file/);
  });

  it('is LDAP with LDAP_URL: a list of servers, safe defaults (pages of 1000, finite timeouts)', () => {
    const directory = loadConfig({ LDAP_URL: 'ldap://a.example.org, ldaps://b.example.org:636' }).directory;
    assert.equal(directory.kind, 'ldap');
    if (directory.kind !== 'ldap') return;
    assert.deepEqual(directory.urls, ['ldap://a.example.org', 'ldaps://b.example.org:636']);
    assert.equal(directory.pageSize, 1000);
    assert.ok(Number.isFinite(directory.timeoutMs) && directory.timeoutMs > 0);
    assert.ok(Number.isFinite(directory.connectTimeoutMs) && directory.connectTimeoutMs > 0);
    assert.equal(directory.startTLS, false);
  });

  it('reads the bind password inline or from a file (its first line), never both', () => {
    const file = join(dir, 'password');
    writeFileSync(file, 'from-a-file\nignored\n');
    const fromFile = loadConfig({ LDAP_URL: 'ldap://a', LDAP_BIND_DN: 'cn=autolist', LDAP_BIND_PASSWORD_FILE: file }).directory;
    assert.equal(fromFile.kind === 'ldap' && fromFile.bindPassword, 'from-a-file');
    const inline = loadConfig({ LDAP_URL: 'ldap://a', LDAP_BIND_DN: 'cn=autolist', LDAP_BIND_PASSWORD: 'inline' }).directory;
    assert.equal(inline.kind === 'ldap' && inline.bindPassword, 'inline');
    assert.match(problems({ LDAP_URL: 'ldap://a', LDAP_BIND_PASSWORD: 'x', LDAP_BIND_PASSWORD_FILE: file }).join(), /both set/);
    assert.match(problems({ LDAP_URL: 'ldap://a', LDAP_BIND_DN: 'cn=autolist' }).join(), /neither LDAP_BIND_PASSWORD nor LDAP_BIND_PASSWORD_FILE/);
    assert.match(problems({ LDAP_URL: 'ldap://a', LDAP_BIND_PASSWORD_FILE: join(dir, 'nothing') }).join(), /LDAP_BIND_PASSWORD_FILE: cannot read/);
  });

  it('names every bad value at once', () => {
    const found = problems({ LDAP_URL: 'http://a', LDAP_PAGE_SIZE: '0', LDAP_TIMEOUT_MS: 'soon', LDAP_STARTTLS: 'perhaps', MEMBERS_CACHE_TTL: '-1' });
    for (const name of ['LDAP_URL', 'LDAP_PAGE_SIZE', 'LDAP_TIMEOUT_MS', 'LDAP_STARTTLS', 'MEMBERS_CACHE_TTL']) {
      assert.ok(found.some((p) => p.includes(name)), `${name} in ${found.join(' | ')}`);
    }
    assert.match(problems({ LDAP_URL: 'ldap://a', DIRECTORY_LDIF: DEMO_DIRECTORY }).join(), /choose one directory/);
  });
});

describe('what the site changes in every family', () => {
  it('LDAP_BASE_DN replaces the base, MEMBERS_CACHE_TTL the cache TTL, of every list', () => {
    const config = loadConfig({ LDAP_BASE_DN: 'ou=gendarmerie,dc=example,dc=org', MEMBERS_CACHE_TTL: '120' });
    const list = catalogFor(config).resolver.resolve('liste.chefs-56@lists.example.org');
    assert.equal(list.directory.base, 'ou=gendarmerie,dc=example,dc=org');
    assert.equal(list.cacheTtlSeconds, 120);
    assert.equal(catalogFor(loadConfig({})).resolver.resolve('liste.chefs-56@lists.example.org').directory.base, 'dc=example,dc=org');
  });

  it('FAMILIES_DIR names the families folder', () => {
    assert.equal(loadConfig({ FAMILIES_DIR: dir }).familiesDir, dir);
  });
});
