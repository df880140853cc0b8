import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { autolist } from '../harness/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'autolist-config-command-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('autolist config', () => {
  it('prints each variable, whether it is set or the default, and its value', async () => {
    const r = await autolist(['config'], { AUTOLIST_SMTP_PORT: '2626' });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^VARIABLE +FROM +VALUE$/);
    assert.ok(
      lines.some((l) => /^AUTOLIST_SMTP_PORT +set +2626$/.test(l)),
      r.stdout,
    );
    assert.ok(
      lines.some((l) => /^AUTOLIST_HTTP_PORT +default +8080$/.test(l)),
      r.stdout,
    );
    assert.ok(
      lines.some((l) => /^AUTOLIST_RELAY_URL +default +\(none\)$/.test(l)),
      r.stdout,
    );
    assert.ok(
      lines.some((l) => /^AUTOLIST_TRUSTED_NETWORKS +default +127\.0\.0\.0\/8, ::1\/128$/.test(l)),
      r.stdout,
    );
  });

  it('--json: the same variables, machine-readable', async () => {
    const text = await autolist(['config'], { AUTOLIST_SMTP_PORT: '2626' });
    const r = await autolist(['config', '--json'], { AUTOLIST_SMTP_PORT: '2626' });
    assert.equal(r.code, 0, r.stderr);
    const { variables } = JSON.parse(r.stdout) as { variables: { variable: string; value: unknown; default: unknown; set: boolean; secret: boolean }[] };
    assert.deepEqual(
      variables.map((v) => v.variable),
      text.stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(' ')[0]),
    );
    assert.deepEqual(
      variables.find((v) => v.variable === 'AUTOLIST_SMTP_PORT'),
      { variable: 'AUTOLIST_SMTP_PORT', value: 2626, default: 2525, set: true, secret: false },
    );
    assert.deepEqual(
      variables.find((v) => v.variable === 'AUTOLIST_RELAY_URL'),
      { variable: 'AUTOLIST_RELAY_URL', value: null, default: null, set: false, secret: true },
    );
  });

  it('never prints a secret, as text or JSON', async () => {
    const tokenFile = join(dir, 'read-token');
    writeFileSync(tokenFile, 'read-token-in-a-file-6f0e2a\n');
    const env = {
      AUTOLIST_LDAP_URL: 'ldap://127.0.0.1:1',
      AUTOLIST_LDAP_BIND_DN: 'cn=autolist,dc=example,dc=org',
      AUTOLIST_LDAP_BIND_PASSWORD: 'bind-password-3c81',
      AUTOLIST_HTTP_HOST: '0.0.0.0',
      AUTOLIST_HTTP_READ_TOKEN_FILE: tokenFile,
      AUTOLIST_HTTP_ADMIN_TOKEN: 'admin-token-inline-d94b07',
      AUTOLIST_RELAY_URL: 'smtp://relay-login-5e:relay-password-a2@relay.example.org:587',
    };
    for (const args of [['config'], ['config', '--json']]) {
      const r = await autolist(args, env);
      assert.equal(r.code, 0, r.stderr);
      for (const secret of ['bind-password-3c81', 'read-token-in-a-file-6f0e2a', 'admin-token-inline-d94b07', 'relay-login-5e', 'relay-password-a2']) {
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${secret} printed by autolist ${args.join(' ')}`);
      }
      assert.match(r.stdout, /smtp:\/\/\*\*\*@relay\.example\.org:587/);
      assert.match(r.stdout, /cn=autolist,dc=example,dc=org/, 'a bind DN is no secret');
    }
    const text = await autolist(['config'], env);
    assert.match(text.stdout, /^AUTOLIST_LDAP_BIND_PASSWORD +set +\*\*\*$/m);
    assert.match(text.stdout, new RegExp(`^AUTOLIST_HTTP_READ_TOKEN_FILE +set +\\*\\*\\* \\(first line of ${tokenFile}\\)$`, 'm'));
  });

  it('refuses a bad configuration as autolist serve does (CONFIG_INVALID, exit 1)', async () => {
    const env = { AUTOLIST_HTTP_PORT: 'eighty', AUTOLIST_RELAY_URL: 'http://user:secret-in-a-bad-url@relay' };
    const config = await autolist(['config'], env);
    const serve = await autolist(['serve'], env);
    assert.equal(config.code, 1);
    assert.equal(serve.code, 1);
    assert.equal(config.stdout, '');
    assert.match(config.stderr, /^autolist config: invalid configuration:\n {2}AUTOLIST_HTTP_PORT="eighty": expected a whole number/);
    assert.equal(config.stderr.replace(/^autolist config:/, ''), serve.stderr.replace(/^autolist serve:/, ''));
    const json = await autolist(['config', '--json'], env);
    assert.equal(json.code, 1);
    assert.equal(json.stderr, config.stderr);
  });

  it('takes no arguments (exit 2)', async () => {
    assert.equal((await autolist(['config', 'extra'])).code, 2);
    const help = await autolist(['config', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^autolist config \[--json\]/);
  });
});
