import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type ConfigVariable, DEMO_DIRECTORY, loadConfig, maskSecret, readConfig } from '../../src/config/config.js';

const dir = mkdtempSync(join(tmpdir(), 'autolist-variables-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function variable(variables: ConfigVariable[], name: string): ConfigVariable {
  const found = variables.find((v) => v.variable === name);
  assert.ok(found, `${name} in ${variables.map((v) => v.variable).join(' ')}`);
  return found;
}

describe('the variables the configuration is read from', () => {
  it('are each listed once, prefixed, with the value loadConfig runs with and its default', () => {
    const { config, variables } = readConfig({});
    assert.deepEqual(config, loadConfig({}));
    const names = variables.map((v) => v.variable);
    assert.equal(new Set(names).size, names.length, 'each once');
    for (const name of names) assert.match(name, /^AUTOLIST_[A-Z0-9_]+$/);
    assert.deepEqual(variable(variables, 'AUTOLIST_HTTP_PORT'), { variable: 'AUTOLIST_HTTP_PORT', value: 8080, default: 8080, set: false, secret: false });
    assert.deepEqual(variable(variables, 'AUTOLIST_DIRECTORY_LDIF'), { variable: 'AUTOLIST_DIRECTORY_LDIF', value: DEMO_DIRECTORY, default: DEMO_DIRECTORY, set: false, secret: false });
    assert.equal(variable(variables, 'AUTOLIST_SMTP_HOST').value, '127.0.0.1');
    assert.equal(variable(variables, 'AUTOLIST_LDAP_URL').value, undefined);
    assert.ok(!names.includes('AUTOLIST_LDAP_PAGE_SIZE'), 'the LDAP settings apply only to an LDAP directory');
    for (const v of variables.filter((v) => !v.set)) assert.deepEqual(v.value, v.default, v.variable);
  });

  it('say which are set, with the value as read (numbers, switches, lists, absolute paths)', () => {
    const { config, variables } = readConfig({
      AUTOLIST_HTTP_PORT: '9090',
      AUTOLIST_LDAP_URL: 'ldap://a, ldap://b',
      AUTOLIST_LDAP_STARTTLS: 'yes',
      AUTOLIST_OUTBOX_DIR: 'out',
      AUTOLIST_SMTP_HOSTNAME: '',
    });
    assert.deepEqual(variable(variables, 'AUTOLIST_HTTP_PORT'), { variable: 'AUTOLIST_HTTP_PORT', value: 9090, default: 8080, set: true, secret: false });
    assert.deepEqual(variable(variables, 'AUTOLIST_LDAP_URL').value, ['ldap://a', 'ldap://b']);
    assert.equal(variable(variables, 'AUTOLIST_LDAP_STARTTLS').value, true);
    assert.equal(variable(variables, 'AUTOLIST_OUTBOX_DIR').value, config.relay.outboxDir);
    assert.equal(variable(variables, 'AUTOLIST_OUTBOX_DIR').value, join(process.cwd(), 'out'));
    assert.equal(variable(variables, 'AUTOLIST_SMTP_HOSTNAME').set, false, 'empty is unset');
    assert.equal(variable(variables, 'AUTOLIST_DIRECTORY_LDIF').value, undefined, 'no LDIF file with an LDAP directory');
  });

  it('show a default taken from another variable: the rate-exempt networks are the trusted ones, a priority relay the main one', () => {
    const { variables } = readConfig({ AUTOLIST_TRUSTED_NETWORKS: '192.0.2.0/24', AUTOLIST_RELAY_URL: 'smtp://relay.example.org:25' });
    assert.deepEqual(variable(variables, 'AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS'), {
      variable: 'AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS',
      value: ['192.0.2.0/24'],
      default: ['192.0.2.0/24'],
      set: false,
      secret: false,
    });
    assert.equal(variable(variables, 'AUTOLIST_RELAY_URL_PRIORITY_3').value, 'smtp://relay.example.org:25');
    const own = readConfig({ AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS: '' }).variables;
    assert.deepEqual(variable(own, 'AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS'), { variable: 'AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS', value: [], default: ['127.0.0.0/8', '::1/128'], set: true, secret: false });
  });

  it("never hold a secret: passwords, tokens and a relay URL's credentials are masked, inline or from a file", () => {
    const tokenFile = join(dir, 'admin-token');
    writeFileSync(tokenFile, 'admin-token-from-a-file-5b1f\nsecond line\n');
    const secrets = ['bind-password-71d2', 'read-token-inline-90ae3c', 'admin-token-from-a-file-5b1f', 'relay-user-44', 'relay-pass-0c9', 'query-secret-e7'];
    const { variables } = readConfig({
      AUTOLIST_LDAP_URL: 'ldap://a',
      AUTOLIST_LDAP_BIND_DN: 'cn=autolist',
      AUTOLIST_LDAP_BIND_PASSWORD: 'bind-password-71d2',
      AUTOLIST_HTTP_READ_TOKEN: 'read-token-inline-90ae3c',
      AUTOLIST_HTTP_ADMIN_TOKEN_FILE: tokenFile,
      AUTOLIST_RELAY_URL: 'smtp://relay-user-44:relay-pass-0c9@relay.example.org:587',
      AUTOLIST_RELAY_URL_PRIORITY_1: 'smtps://urgent.example.org?auth=query-secret-e7',
    });
    const all = JSON.stringify(variables);
    for (const secret of secrets) assert.ok(!all.includes(secret), `${secret} is not in the record`);
    assert.deepEqual(variable(variables, 'AUTOLIST_LDAP_BIND_PASSWORD'), { variable: 'AUTOLIST_LDAP_BIND_PASSWORD', value: '***', default: undefined, set: true, secret: true });
    assert.deepEqual(variable(variables, 'AUTOLIST_HTTP_ADMIN_TOKEN_FILE'), { variable: 'AUTOLIST_HTTP_ADMIN_TOKEN_FILE', value: '***', default: undefined, set: true, secret: true, file: tokenFile });
    assert.equal(variable(variables, 'AUTOLIST_RELAY_URL').value, 'smtp://***@relay.example.org:587');
    assert.equal(variable(variables, 'AUTOLIST_RELAY_URL_PRIORITY_1').value, 'smtps://urgent.example.org?***');
    assert.ok(variables.filter((v) => /PASSWORD|TOKEN|RELAY_URL/.test(v.variable)).every((v) => v.secret));
  });

  it("are all in the README's tables", () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const names = new Set([...readConfig({}).variables, ...readConfig({ AUTOLIST_LDAP_URL: 'ldap://a' }).variables].map((v) => v.variable));
    // The README names the priority relays as one row, AUTOLIST_RELAY_URL_PRIORITY_1 .. _9.
    for (const name of names) assert.ok(readme.includes(`\`${name.replace(/^(AUTOLIST_RELAY_URL_PRIORITY_)[2-9]$/, '$11')}\``), `${name} is documented`);
  });
});

describe('what is shown of a secret', () => {
  it("is nothing, but a URL's scheme, host and port", () => {
    assert.equal(maskSecret('hunter2-hunter2-hunter2', 'text'), '***');
    assert.equal(maskSecret('smtp://relay.example.org', 'text'), '***', 'a text secret is never shown, whatever it looks like');
    assert.equal(maskSecret('smtp://relay.example.org:25', 'url'), 'smtp://relay.example.org:25');
    assert.equal(maskSecret('smtp://user:pa%40ss@relay.example.org:25/', 'url'), 'smtp://***@relay.example.org:25');
    assert.equal(maskSecret('smtp://user:p@ss@relay.example.org', 'url'), 'smtp://***@relay.example.org', 'the host is past the last @');
    assert.equal(maskSecret('smtp://relay.example.org?pool=true', 'url'), 'smtp://relay.example.org?***');
    assert.equal(maskSecret('smtp://secret?part@relay.example.org', 'url'), '***', 'an @ past what the parser took for the host');
    assert.equal(maskSecret('not a url', 'url'), '***');
  });
});
