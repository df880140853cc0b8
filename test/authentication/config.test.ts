/** AUTOLIST_DNS_SERVERS and AUTOLIST_AUTHENTICATION_TIMEOUT_MS: validated at start, and the check's queries go where they say. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authenticateMessage } from '../../src/authentication/index.js';
import { loadConfig } from '../../src/config/config.js';
import { DnsServer } from '../harness/dns.js';
import { MailDomain } from '../harness/mail-domain.js';
import { configProblems } from '../harness/config.js';

const problems = configProblems;

describe('the authentication configuration', () => {
  it('asks the system resolvers by default, for at most 10 s a message', () => {
    assert.deepEqual(loadConfig({}).authentication, { dnsServers: [], timeoutMs: 10_000 });
  });

  it('takes IP addresses, IPv4:port and [IPv6]:port in AUTOLIST_DNS_SERVERS', () => {
    const servers = '192.0.2.53, 127.0.0.1:5353,::1,[2001:db8::53]:53';
    assert.deepEqual(loadConfig({ AUTOLIST_DNS_SERVERS: servers }).authentication.dnsServers, ['192.0.2.53', '127.0.0.1:5353', '::1', '[2001:db8::53]:53']);
  });

  it('refuses anything else, naming the variable and the value', () => {
    for (const bad of ['dns.example.org', '127.0.0.1:0', '127.0.0.1:65536', '2001:db8::53:53:x', '[192.0.2.1]:53', '[2001:db8::1]', '300.0.0.1', 'udp://127.0.0.1']) {
      const found = problems({ AUTOLIST_DNS_SERVERS: bad });
      assert.deepEqual(found, [`AUTOLIST_DNS_SERVERS: "${bad}" is not an IP address, IPv4:port or [IPv6]:port`], bad);
    }
  });

  it('takes AUTOLIST_AUTHENTICATION_TIMEOUT_MS between 100 and 120000', () => {
    assert.equal(loadConfig({ AUTOLIST_AUTHENTICATION_TIMEOUT_MS: '2500' }).authentication.timeoutMs, 2500);
    assert.match(problems({ AUTOLIST_AUTHENTICATION_TIMEOUT_MS: '50' }).join(), /AUTOLIST_AUTHENTICATION_TIMEOUT_MS/);
    assert.match(problems({ AUTOLIST_AUTHENTICATION_TIMEOUT_MS: '1e4' }).join(), /AUTOLIST_AUTHENTICATION_TIMEOUT_MS/);
  });
});

describe('AUTOLIST_DNS_SERVERS in use', () => {
  const domain = new MailDomain('example.org');
  let dns: DnsServer;
  before(async () => {
    dns = await DnsServer.start(domain.records());
  });
  after(() => dns.dispose());

  it('sends the check’s queries to the configured server', async () => {
    const settings = loadConfig({ AUTOLIST_DNS_SERVERS: dns.address }).authentication;
    const before = await dns.queries();
    const signed = await domain.sign('From: chef.bretagne@example.org\r\nSubject: x\r\n\r\nBonjour.\r\n');
    const context = { clientIp: '192.0.2.10', helo: 'mx.example.net', mailFrom: 'chef.bretagne@example.org', mta: 'lists.example.org' };
    const result = await authenticateMessage(signed, context, settings);
    assert.equal(result.dmarc.result, 'pass');
    // The key, SPF and DMARC records: answers only this server has.
    assert.ok((await dns.queries()) - before >= 3);
  });
});
