import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { smtpTransport } from '../../src/postfix/smtp-transport.js';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ AUTOLIST_LOG_LEVEL: 'silent', ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('the postfix configuration', () => {
  it('starts nothing by default: no ports, loopback, the limits', () => {
    const { postfix } = loadConfig({ AUTOLIST_LOG_LEVEL: 'silent' });
    assert.deepEqual(postfix, { host: '127.0.0.1', idleTimeoutSeconds: 600, maxConnections: 100 });
  });

  it('reads the ports, host, value and limits', () => {
    const { postfix } = loadConfig({
      AUTOLIST_LOG_LEVEL: 'silent',
      AUTOLIST_POSTFIX_POLICY_PORT: '2527',
      AUTOLIST_POSTFIX_SOCKETMAP_PORT: '2526',
      AUTOLIST_POSTFIX_HOST: '10.0.0.5',
      AUTOLIST_POSTFIX_SOCKETMAP_VALUE: 'lmtp:unix:private/autolist',
      AUTOLIST_POSTFIX_IDLE_TIMEOUT: '30',
      AUTOLIST_POSTFIX_MAX_CONNECTIONS: '5',
    });
    assert.deepEqual(postfix, { host: '10.0.0.5', policyPort: 2527, socketmapPort: 2526, socketmapValue: 'lmtp:unix:private/autolist', idleTimeoutSeconds: 30, maxConnections: 5 });
  });

  it('names each bad value', () => {
    assert.deepEqual(problems({ AUTOLIST_POSTFIX_POLICY_PORT: '70000', AUTOLIST_POSTFIX_MAX_CONNECTIONS: '0', AUTOLIST_POSTFIX_SOCKETMAP_VALUE: 'smtp:[a]\nb' }), [
      'AUTOLIST_POSTFIX_MAX_CONNECTIONS="0": expected a whole number from 1 to 10000',
      'AUTOLIST_POSTFIX_SOCKETMAP_VALUE: printable ASCII, up to 1000 characters, not starting with a space',
      'AUTOLIST_POSTFIX_POLICY_PORT="70000": expected a whole number from 0 to 65535',
    ]);
    assert.deepEqual(problems({ AUTOLIST_POSTFIX_POLICY_PORT: '2526', AUTOLIST_POSTFIX_SOCKETMAP_PORT: '2526' }), [
      'AUTOLIST_POSTFIX_POLICY_PORT and AUTOLIST_POSTFIX_SOCKETMAP_PORT are both 2526: give each its own port',
    ]);
  });
});

describe('the transport to the SMTP front', () => {
  it('is smtp:[HOST]:PORT, a wildcard host reached on loopback, IPv6 as Postfix writes it', () => {
    assert.equal(smtpTransport({ host: '127.0.0.1', port: 2525 }), 'smtp:[127.0.0.1]:2525');
    assert.equal(smtpTransport({ host: '0.0.0.0', port: 2600 }), 'smtp:[127.0.0.1]:2600');
    assert.equal(smtpTransport({ host: '::', port: 2525 }), 'smtp:[127.0.0.1]:2525');
    assert.equal(smtpTransport({ host: '::1', port: 2525 }), 'smtp:[ipv6:::1]:2525');
    assert.equal(smtpTransport({ host: 'lists-front.example.org', port: 25 }), 'smtp:[lists-front.example.org]:25');
  });
});
