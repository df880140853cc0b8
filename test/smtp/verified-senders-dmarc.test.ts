/**
 * Verified senders through DMARC, end to end: the SMTP front (liste requires verified senders) with
 * the demo directory, its client (127.0.0.1) outside AUTOLIST_TRUSTED_NETWORKS, and a real DNS
 * server (dnsmasq) publishing example.org's DKIM key, an SPF record that excludes the loopback
 * and DMARC p=reject. chef.bretagne@example.org is a chef of the department 56.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DnsServer } from '../harness/dns.js';
import { MailDomain } from '../harness/mail-domain.js';
import { headerLines, message, outboxBatches, startFront, swaks, type Front } from './helpers.js';

const CHEF = 'chef.bretagne@example.org';
const LIST = 'liste.chefs-56@lists.example.org';

/** DATA as swaks sends it: the signed message, then the final dot. */
function data(signed: Buffer): string {
  return `${signed.toString('utf8').replace(/\r\n$/, '')}\r\n.`;
}

describe('SMTP front: senders verified by DMARC', () => {
  // SPF names another address: from the loopback, only an aligned DKIM signature can pass DMARC.
  const exampleOrg = new MailDomain('example.org', 'autolist', 'v=spf1 ip4:192.0.2.1 -all');
  let dns: DnsServer;
  let f: Front;
  let port: number;
  before(async () => {
    dns = await DnsServer.start(exampleOrg.records());
    f = await startFront({
      AUTOLIST_DNS_SERVERS: dns.address,
      AUTOLIST_TRUSTED_NETWORKS: '192.0.2.0/24',
      AUTOLIST_TRUSTED_AUTHSERV_ID: 'mx.example.org',
      AUTOLIST_AUTHENTICATION_TIMEOUT_MS: '3000',
    });
    port = f.front.address.port;
  });
  after(async () => {
    await f.close();
    await dns.dispose();
  });
  beforeEach(() => rmSync(f.outbox, { recursive: true, force: true }));

  const chefMessage = (extra: Record<string, string> = {}): string =>
    message({ ...extra, From: `Chef <${CHEF}>`, To: LIST, Subject: 'Réunion', 'Message-ID': `<${Math.random()}@example.org>` }, 'Bonjour.\r\n').replace(/\r\n\.$/, '\r\n');

  it('refuses a forged chef sender: unsigned, from a client that is not trusted and not in the domain’s SPF', async () => {
    const result = await swaks(port, { from: CHEF, to: LIST, data: data(Buffer.from(chefMessage())) });
    assert.notEqual(result.code, 0, result.transcript);
    assert.match(result.lastReply, /^550 5\.7\.1 /, result.transcript);
    assert.match(result.lastReply, /verif/i, result.lastReply);
    assert.equal(outboxBatches(f.outbox).length, 0);
  });

  it('refuses it too when it carries a forged Authentication-Results, even one naming the trusted authserv-id', async () => {
    const forged = chefMessage({ 'Authentication-Results': 'mx.example.org; dkim=pass header.d=example.org; spf=pass; dmarc=pass header.from=example.org' });
    const result = await swaks(port, { from: CHEF, to: LIST, data: data(Buffer.from(forged)) });
    assert.match(result.lastReply, /^550 5\.7\.1 /, result.transcript);
    assert.equal(outboxBatches(f.outbox).length, 0);
  });

  it('accepts the same chef with an aligned DKIM signature of example.org (DMARC pass), and says so in the copies', async () => {
    const signed = await exampleOrg.sign(chefMessage({ 'Authentication-Results': 'mx.example.org; dmarc=pass header.from=example.org' }));
    const result = await swaks(port, { from: CHEF, to: LIST, data: data(signed) });
    assert.equal(result.code, 0, result.transcript);
    assert.match(result.lastReply, /^250 2\.0\.0 /);
    const batches = outboxBatches(f.outbox);
    assert.ok(batches.length > 0);
    const results = headerLines(batches[0]!.message, 'Authentication-Results');
    // autolist's own result only: the one the message brought from an untrusted client is gone.
    assert.equal(results.length, 1, results.join('\n'));
    assert.match(results[0]!, /^Authentication-Results: lists\.test;\s+dkim=pass header\.i=@example\.org .*;\s+dmarc=pass /);
  });

  it('refuses a signed message whose body was changed on the way (dkim=fail, dmarc=fail)', async () => {
    const signed = await exampleOrg.sign(chefMessage());
    const tampered = Buffer.from(signed.toString('utf8').replace('Bonjour.', 'Bonjour, virez 1000 euros.'));
    const result = await swaks(port, { from: CHEF, to: LIST, data: data(tampered) });
    assert.match(result.lastReply, /^550 5\.7\.1 /, result.transcript);
    assert.equal(outboxBatches(f.outbox).length, 0);
  });

  it('answers 451 (try again later), never 5xx, when the DNS server is down, and accepts once it is back', async () => {
    const signed = await exampleOrg.sign(chefMessage());
    await dns.stop();
    try {
      const result = await swaks(port, { from: CHEF, to: LIST, data: data(signed) });
      assert.match(result.lastReply, /^451 4\.7\.0 /, result.transcript);
      assert.equal(outboxBatches(f.outbox).length, 0);
    } finally {
      await dns.restart();
    }
    const retried = await swaks(port, { from: CHEF, to: LIST, data: data(signed) });
    assert.match(retried.lastReply, /^250 2\.0\.0 /, retried.transcript);
  });
});
