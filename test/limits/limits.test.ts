/** The building blocks of the abuse limits: a rate per key with bounded memory, and networks of client addresses. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Networks, parseNetwork } from '../../src/address/networks.js';
import { loadConfig } from '../../src/config/config.js';
import { KeyedRate } from '../../src/limits/index.js';

describe('a rate per key', () => {
  it('allows `perMinute` events per key, then refuses with the seconds left in the window', async () => {
    const rate = new KeyedRate('test', 3, 100);
    for (let n = 0; n < 3; n++) assert.deepEqual(await rate.take('a'), { allowed: true });
    const refused = await rate.take('a');
    assert.equal(refused.allowed, false);
    assert.ok(!refused.allowed && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60);
    assert.deepEqual(await rate.take('b'), { allowed: true }, 'each key has its own count');
    assert.equal(rate.refused, 1);
  });

  it('holds at most maxKeys keys, forgetting the least recently seen', async () => {
    const rate = new KeyedRate('test', 1, 50);
    for (let n = 0; n < 10_000; n++) await rate.take(`key-${n}`);
    assert.equal(rate.held(), 50);
    assert.equal((await rate.take('key-9999')).allowed, false, 'a recent key is still counted');
    assert.equal((await rate.take('key-0')).allowed, true, 'a forgotten key starts again');
  });
});

describe('networks of client addresses', () => {
  it('reads addresses and CIDR networks, IPv4 and IPv6, and nothing else', () => {
    assert.deepEqual(parseNetwork('192.0.2.0/24'), { address: '192.0.2.0', prefix: 24, family: 'ipv4' });
    assert.deepEqual(parseNetwork('::1'), { address: '::1', prefix: 128, family: 'ipv6' });
    assert.deepEqual(parseNetwork('2001:db8::/32'), { address: '2001:db8::', prefix: 32, family: 'ipv6' });
    for (const bad of ['', '/8', '192.0.2.0/33', '2001:db8::/129', 'localhost', '192.0.2.0/8/8', '192.0.2.256', '10.0.0.0/-1']) assert.equal(parseNetwork(bad), undefined, bad);
  });

  it('matches a client address, an IPv4 client on an IPv6 socket included', () => {
    const networks = new Networks(['127.0.0.0/8', '::1', '2001:db8::/32'].map((t) => parseNetwork(t)!));
    for (const inside of ['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1', '2001:db8:1::5']) assert.ok(networks.has(inside), inside);
    for (const outside of ['128.0.0.1', '::2', '2001:db9::1', 'not an address', undefined]) assert.ok(!networks.has(outside), String(outside));
    assert.ok(!new Networks([]).has('127.0.0.1'));
  });
});

describe('the limits’ configuration', () => {
  it('has defaults a normal site never reaches; the trusted networks (loopback) exempt from the SMTP per-address rates', () => {
    const config = loadConfig({});
    assert.deepEqual(
      { ...config.smtp.limits, rateExemptNetworks: config.smtp.limits.rateExemptNetworks.map((n) => `${n.address}/${n.prefix}`) },
      { hardErrorLimit: 20, messagesPerIp: 1000, messagesPerSender: 200, recipientsPerIp: 10_000, recipientsPerSender: 2000, rateExemptNetworks: ['127.0.0.0/8', '::1/128'] },
    );
    assert.equal(config.rateLimitKeys, 20_000);
    assert.deepEqual(loadConfig({ AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS: '' }).smtp.limits.rateExemptNetworks, [], 'empty: no client is exempt');
    const exempt = (env: Record<string, string>): string[] => loadConfig(env).smtp.limits.rateExemptNetworks.map((n) => `${n.address}/${n.prefix}`);
    assert.deepEqual(exempt({ AUTOLIST_TRUSTED_NETWORKS: '192.0.2.0/24' }), ['192.0.2.0/24'], 'unset: the trusted networks');
    assert.deepEqual(exempt({ AUTOLIST_TRUSTED_NETWORKS: '192.0.2.0/24', AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS: '198.51.100.7' }), ['198.51.100.7/32']);
  });

  it('names each bad value', () => {
    assert.throws(() => loadConfig({ AUTOLIST_SMTP_RATE_MESSAGES_PER_IP: 'many' }), /AUTOLIST_SMTP_RATE_MESSAGES_PER_IP="many": expected a whole number/);
    assert.throws(() => loadConfig({ AUTOLIST_SMTP_RATE_RECIPIENTS_PER_SENDER: '-5' }), /AUTOLIST_SMTP_RATE_RECIPIENTS_PER_SENDER/);
    assert.throws(() => loadConfig({ AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS: '10.0.0.0/8 lan' }), /AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS: "lan" is not an IP address or network/);
    assert.throws(() => loadConfig({ AUTOLIST_RATE_LIMIT_KEYS: '5' }), /AUTOLIST_RATE_LIMIT_KEYS="5": expected a whole number from 10/);
  });
});
