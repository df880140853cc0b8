import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEMO_DIRECTORY, loadConfig } from '../../src/config/config.js';
import { catalogFor } from '../../src/services.js';
import { configProblems } from '../harness/config.js';

const dir = mkdtempSync(join(tmpdir(), 'autolist-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const problems = configProblems;

describe('the directory configuration', () => {
  it('is the shipped demo directory by default, an LDIF file with AUTOLIST_DIRECTORY_LDIF', () => {
    assert.deepEqual(loadConfig({}).directory, { kind: 'embedded', ldifFile: DEMO_DIRECTORY });
    const ldif = join(dir, 'people.ldif');
    writeFileSync(ldif, 'dn: dc=example,dc=org\nobjectClass: top\n');
    assert.deepEqual(loadConfig({ AUTOLIST_DIRECTORY_LDIF: ldif }).directory, { kind: 'embedded', ldifFile: ldif });
    assert.match(problems({ AUTOLIST_DIRECTORY_LDIF: join(dir, 'missing.ldif') }).join(), /AUTOLIST_DIRECTORY_LDIF: no file/);
  });

  it('is LDAP with AUTOLIST_LDAP_URL: a list of servers, safe defaults (pages of 1000, finite timeouts)', () => {
    const directory = loadConfig({ AUTOLIST_LDAP_URL: 'ldap://a.example.org, ldaps://b.example.org:636' }).directory;
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
    const fromFile = loadConfig({ AUTOLIST_LDAP_URL: 'ldap://a', AUTOLIST_LDAP_BIND_DN: 'cn=autolist', AUTOLIST_LDAP_BIND_PASSWORD_FILE: file }).directory;
    assert.equal(fromFile.kind === 'ldap' && fromFile.bindPassword, 'from-a-file');
    const inline = loadConfig({ AUTOLIST_LDAP_URL: 'ldap://a', AUTOLIST_LDAP_BIND_DN: 'cn=autolist', AUTOLIST_LDAP_BIND_PASSWORD: 'inline' }).directory;
    assert.equal(inline.kind === 'ldap' && inline.bindPassword, 'inline');
    assert.match(problems({ AUTOLIST_LDAP_URL: 'ldap://a', AUTOLIST_LDAP_BIND_PASSWORD: 'x', AUTOLIST_LDAP_BIND_PASSWORD_FILE: file }).join(), /both set/);
    assert.match(problems({ AUTOLIST_LDAP_URL: 'ldap://a', AUTOLIST_LDAP_BIND_DN: 'cn=autolist' }).join(), /neither AUTOLIST_LDAP_BIND_PASSWORD nor AUTOLIST_LDAP_BIND_PASSWORD_FILE/);
    assert.match(problems({ AUTOLIST_LDAP_URL: 'ldap://a', AUTOLIST_LDAP_BIND_PASSWORD_FILE: join(dir, 'nothing') }).join(), /AUTOLIST_LDAP_BIND_PASSWORD_FILE: cannot read/);
  });

  it('names every bad value at once', () => {
    const found = problems({ AUTOLIST_LDAP_URL: 'http://a', AUTOLIST_LDAP_PAGE_SIZE: '0', AUTOLIST_LDAP_TIMEOUT_MS: 'soon', AUTOLIST_LDAP_STARTTLS: 'perhaps', AUTOLIST_MEMBERS_CACHE_TTL: '-1' });
    for (const name of ['AUTOLIST_LDAP_URL', 'AUTOLIST_LDAP_PAGE_SIZE', 'AUTOLIST_LDAP_TIMEOUT_MS', 'AUTOLIST_LDAP_STARTTLS', 'AUTOLIST_MEMBERS_CACHE_TTL']) {
      assert.ok(
        found.some((p) => p.includes(name)),
        `${name} in ${found.join(' | ')}`,
      );
    }
    assert.match(problems({ AUTOLIST_LDAP_URL: 'ldap://a', AUTOLIST_DIRECTORY_LDIF: DEMO_DIRECTORY }).join(), /choose one directory/);
  });
});

describe('what the site changes in every family', () => {
  it('AUTOLIST_LDAP_BASE_DN replaces the base, AUTOLIST_MEMBERS_CACHE_TTL the cache TTL, of every list', () => {
    const config = loadConfig({ AUTOLIST_LDAP_BASE_DN: 'ou=gendarmerie,dc=example,dc=org', AUTOLIST_MEMBERS_CACHE_TTL: '120' });
    const list = catalogFor(config).resolver.resolve('liste.chefs-56@lists.example.org');
    assert.equal(list.directory.base, 'ou=gendarmerie,dc=example,dc=org');
    assert.equal(list.cacheTtlSeconds, 120);
    assert.equal(catalogFor(loadConfig({})).resolver.resolve('liste.chefs-56@lists.example.org').directory.base, 'dc=example,dc=org');
  });

  it('AUTOLIST_FAMILIES_DIR names the families folder', () => {
    assert.equal(loadConfig({ AUTOLIST_FAMILIES_DIR: dir }).familiesDir, dir);
  });

  it('AUTOLIST_LANGUAGE is the site’s language, fr or en; unset, the families decide', () => {
    assert.equal(loadConfig({ AUTOLIST_LANGUAGE: 'fr' }).language, 'fr');
    assert.equal(loadConfig({ AUTOLIST_LANGUAGE: 'en' }).language, 'en');
    assert.equal(loadConfig({}).language, undefined);
    assert.deepEqual(problems({ AUTOLIST_LANGUAGE: 'fr_FR' }), ['AUTOLIST_LANGUAGE="fr_FR": expected one of en, fr']);
  });
});

describe('the variables autolist reads', () => {
  it('carry the AUTOLIST_ prefix: variables of other programs (Kubernetes service links) are not read', () => {
    const config = loadConfig({ SMTP_PORT: 'tcp://10.0.0.5:25', HTTP_PORT: 'tcp://10.0.0.6:80', LDAP_URL: 'ldap://elsewhere', FAMILIES_DIR: '/nowhere' });
    assert.equal(config.smtp.port, 2525);
    assert.equal(config.http.port, 8080);
    assert.equal(config.directory.kind, 'embedded');
    assert.notEqual(config.familiesDir, '/nowhere');
    assert.equal(loadConfig({ AUTOLIST_SMTP_PORT: '2600' }).smtp.port, 2600);
  });

  it('take whole decimal numbers only: hexadecimal, exponents, signs and spaces are refused, named', () => {
    for (const raw of ['0x1F90', '8e3', '0b1', ' 80', '80 ', '+80', '80.0', '1_000', '']) {
      if (raw === '') {
        assert.equal(loadConfig({ AUTOLIST_HTTP_PORT: raw }).http.port, 8080, 'empty is unset');
        continue;
      }
      assert.deepEqual(problems({ AUTOLIST_HTTP_PORT: raw }), [`AUTOLIST_HTTP_PORT=${JSON.stringify(raw)}: expected a whole number from 0 to 65535`], raw);
    }
    assert.equal(loadConfig({ AUTOLIST_HTTP_PORT: '8081' }).http.port, 8081);
  });

  it('give the HTTP workers Linux’s idle class by default, or a niceness from 0 to 19', () => {
    assert.equal(loadConfig({}).workers.httpNiceness, 'idle');
    assert.equal(loadConfig({ AUTOLIST_HTTP_NICENESS: '10' }).workers.httpNiceness, 10);
    assert.equal(loadConfig({ AUTOLIST_HTTP_NICENESS: '0' }).workers.httpNiceness, 0);
    for (const raw of ['20', 'IDLE', '-1', 'lowest'])
      assert.deepEqual(problems({ AUTOLIST_HTTP_NICENESS: raw }), [`AUTOLIST_HTTP_NICENESS=${JSON.stringify(raw)}: expected a whole number from 0 to 19 or idle`], raw);
  });
});
