/**
 * LDAP over TLS against a real slapd with a certificate from a throwaway CA: ldaps:// and StartTLS
 * with the CA file, and a certificate autolist cannot trust (no CA file, another CA, another name),
 * which is a permanent DirectoryCertificateError, never a timeout or a mere "unavailable".
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { SearchRequest } from '../../src/directory/directory.js';
import { DirectoryCertificateError, DirectoryError, DirectoryUnavailableError, type LdapDirectoryOptions } from '../../src/directory/index.js';
import { parseFilter } from '../../src/filter/index.js';
import { autolist } from '../harness/cli.js';
import { BASE_DN } from '../fixtures/generate-directory.js';
import { dnsOf, type Fixture, ldapOf, ldapsearchOf, startFixture } from './helpers.js';

const HANG_GUARD = { timeout: 30_000 };
const openssl = promisify(execFile);

interface Certificates {
  /** The CA that signed the server's certificate. */
  ca: string;
  /** A CA that signed nothing the server has. */
  otherCa: string;
  cert: string;
  key: string;
}

/** A CA, a server certificate it signs for IP 127.0.0.1 only, and an unrelated CA, as PEM files in `dir`. */
async function makeCertificates(dir: string): Promise<Certificates> {
  const file = (name: string): string => join(dir, name);
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const ca of ['ca', 'other-ca']) {
    await openssl('openssl', ['req', '-x509', ...key, '-keyout', file(`${ca}.key`), '-out', file(`${ca}.pem`), '-days', '2', '-subj', `/CN=autolist test ${ca}`]);
  }
  await openssl('openssl', ['req', ...key, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(file('server.ext'), 'subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\nbasicConstraints = CA:FALSE\n');
  await openssl('openssl', [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  ]);
  return { ca: file('ca.pem'), otherCa: file('other-ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

let dir: string;
let certificates: Certificates;
let fixture: Fixture;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'autolist-tls-'));
  certificates = await makeCertificates(dir);
  fixture = await startFixture({ persons: 200, seed: 29 }, { tls: { certFile: certificates.cert, keyFile: certificates.key, caFile: certificates.ca } });
});

after(async () => {
  await fixture?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const chefs: SearchRequest = { base: BASE_DN, scope: 'sub', filter: parseFilter('(title=chef)'), attributes: ['mail'] };

/** The error an LdapDirectory with these options meets on a search and on its health check (both must fail alike). */
async function failureOf(options: Partial<LdapDirectoryOptions>): Promise<DirectoryError> {
  const ldap = ldapOf(fixture.slapd, options);
  try {
    const errors: unknown[] = [];
    await dnsOf(ldap, chefs).catch((error: unknown) => errors.push(error));
    await ldap.health().catch((error: unknown) => errors.push(error));
    assert.equal(errors.length, 2, 'the search and the health check both fail');
    const [search, health] = errors as [DirectoryError, DirectoryError];
    assert.ok(search instanceof DirectoryError, `a DirectoryError, not ${String(search)}`);
    assert.equal(health.constructor, search.constructor);
    return search;
  } finally {
    await ldap.close();
  }
}

function assertUntrusted(error: DirectoryError, url: string, code: RegExp): void {
  assert.ok(error instanceof DirectoryCertificateError, `${error.name}: ${error.message}`);
  assert.equal(error.code, 'DIRECTORY_CERTIFICATE');
  assert.equal(error.temporary, false, 'a certificate that does not verify is a configuration fault');
  assert.match(error.message, new RegExp(`${url.replace(/[.]/g, '\\.')}: the server's TLS certificate does not verify \\(${code.source}`));
}

describe('LDAP over TLS, with the CA that signed the server certificate', () => {
  it('ldaps:// finds what ldapsearch finds', HANG_GUARD, async () => {
    const ldap = ldapOf(fixture.slapd, { urls: [fixture.slapd.tlsUrl], caFile: certificates.ca, pageSize: 10 });
    try {
      const expected = (await ldapsearchOf(fixture.slapd, '(title=chef)')).dns;
      assert.ok(expected.length > 10);
      assert.deepEqual(await dnsOf(ldap, chefs), expected);
      await ldap.health();
    } finally {
      await ldap.close();
    }
  });

  it('StartTLS over ldap:// finds what ldapsearch finds', HANG_GUARD, async () => {
    const ldap = ldapOf(fixture.slapd, { startTLS: true, caFile: certificates.ca });
    try {
      assert.deepEqual(await dnsOf(ldap, chefs), (await ldapsearchOf(fixture.slapd, '(title=chef)')).dns);
      await ldap.health();
    } finally {
      await ldap.close();
    }
  });

  it('a server whose certificate fails is passed over for the next URL', HANG_GUARD, async () => {
    // The certificate names 127.0.0.1, not localhost.
    const misnamed = fixture.slapd.tlsUrl.replace('127.0.0.1', 'localhost');
    const ldap = ldapOf(fixture.slapd, { urls: [misnamed, fixture.slapd.tlsUrl], caFile: certificates.ca });
    try {
      assert.ok((await dnsOf(ldap, chefs)).length > 10);
    } finally {
      await ldap.close();
    }
  });
});

describe('LDAP over TLS, with a certificate autolist cannot trust', () => {
  it('ldaps:// without the CA: a permanent certificate error', HANG_GUARD, async () => {
    const url = fixture.slapd.tlsUrl;
    assertUntrusted(await failureOf({ urls: [url] }), url, /SELF_SIGNED_CERT_IN_CHAIN/);
  });

  it('ldaps:// trusting another CA only: the same', HANG_GUARD, async () => {
    const url = fixture.slapd.tlsUrl;
    assertUntrusted(await failureOf({ urls: [url], caFile: certificates.otherCa }), url, /SELF_SIGNED_CERT_IN_CHAIN/);
  });

  it('ldaps:// to a name the certificate does not carry: the same', HANG_GUARD, async () => {
    const url = fixture.slapd.tlsUrl.replace('127.0.0.1', 'localhost');
    assertUntrusted(await failureOf({ urls: [url], caFile: certificates.ca }), url, /ERR_TLS_CERT_ALTNAME_INVALID/);
  });

  it('StartTLS without the CA: the same (so StartTLS did secure the connection)', HANG_GUARD, async () => {
    const url = fixture.slapd.url;
    assertUntrusted(await failureOf({ startTLS: true }), url, /SELF_SIGNED_CERT_IN_CHAIN/);
  });

  it('one server untrusted and another down: unavailable (temporary), naming both', HANG_GUARD, async () => {
    const down = 'ldap://127.0.0.1:1';
    const error = await failureOf({ urls: [fixture.slapd.tlsUrl, down] });
    assert.ok(error instanceof DirectoryUnavailableError, `${error.name}: ${error.message}`);
    assert.match(error.message, /TLS certificate does not verify/);
    assert.match(error.message, /ECONNREFUSED/);
  });
});

describe('autolist members over TLS (AUTOLIST_LDAP_URL=ldaps://..., AUTOLIST_LDAP_CA_FILE)', () => {
  const address = 'liste.chefs-national@lists.example.org';
  const env = (): Record<string, string> => ({ AUTOLIST_LDAP_URL: fixture.slapd.tlsUrl, AUTOLIST_LDAP_BIND_DN: fixture.slapd.bindDN, AUTOLIST_LDAP_BIND_PASSWORD: fixture.slapd.password });

  it('prints the members ldapsearch gives', HANG_GUARD, async () => {
    const r = await autolist(['members', address], { ...env(), AUTOLIST_LDAP_CA_FILE: certificates.ca });
    assert.equal(r.code, 0, r.stderr);
    const expected = [...new Set((await ldapsearchOf(fixture.slapd, '(title=chef)', { attribute: 'mail' })).values.map((v) => v.toLowerCase()))].sort();
    assert.ok(expected.length > 10);
    assert.deepEqual(r.stdout.split('\n').filter(Boolean), expected);
    assert.equal(r.stderr, '', 'no warning either');
  });

  it('without AUTOLIST_LDAP_CA_FILE: exit 1 (not 75: trying again will not help), naming the certificate', HANG_GUARD, async () => {
    const [text, json] = await Promise.all([autolist(['members', address], env()), autolist(['members', '--json', address], env())]);
    assert.equal(text.code, 1);
    assert.match(text.stderr, /autolist members: .*the server's TLS certificate does not verify \(SELF_SIGNED_CERT_IN_CHAIN/);
    assert.doesNotMatch(text.stderr, /try again later/);
    assert.equal(text.stdout, '');
    assert.equal(json.code, 1);
    assert.equal(JSON.parse(json.stdout).code, 'DIRECTORY_CERTIFICATE');
  });
});
