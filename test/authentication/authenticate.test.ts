/**
 * DKIM, SPF and DMARC of received mail against a real DNS server (dnsmasq) serving a test zone:
 * example.org publishes a DKIM key, SPF `ip4:127.0.0.1 -all` and DMARC `p=reject`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AuthenticationContext, type AuthenticationSettings, authenticateMessage, parseAuthenticationResults } from '../../src/authentication/index.js';
import { DnsServer } from '../harness/dns.js';
import { MailDomain } from '../harness/mail-domain.js';

const MTA = 'lists.example.org';
/** An address outside example.org's SPF (TEST-NET-1). */
const STRANGER_IP = '192.0.2.10';

function message(headers: Record<string, string>, body = 'Bonjour.\r\n'): Buffer {
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return Buffer.from(`${head}\r\n${body}`);
}

const chefMessage = (): Buffer => message({ From: 'Chef <chef.bretagne@example.org>', To: 'liste.chefs-56@lists.example.org', Subject: 'Réunion', 'Message-ID': '<m1@example.org>' });

function context(overrides: Partial<AuthenticationContext> = {}): AuthenticationContext {
  return { clientIp: STRANGER_IP, helo: 'mx.example.net', mailFrom: 'chef.bretagne@example.org', mta: MTA, ...overrides };
}

describe('authenticateMessage against a DNS server', () => {
  const exampleOrg = new MailDomain('example.org');
  const other = new MailDomain('other.example');
  let dns: DnsServer;
  let settings: AuthenticationSettings;
  before(async () => {
    dns = await DnsServer.start({ ...exampleOrg.records(), ...other.records() });
    settings = { dnsServers: [dns.address] };
  });
  after(() => dns.dispose());

  it('passes DMARC on an aligned DKIM signature, from an address outside SPF', async () => {
    const result = await authenticateMessage(await exampleOrg.sign(chefMessage()), context(), settings);
    assert.equal(result.dkim.result, 'pass');
    assert.deepEqual(result.dkim.alignedDomains, ['example.org']);
    assert.deepEqual(result.dkim.signatures, [{ domain: 'example.org', selector: 'autolist', result: 'pass', aligned: true }]);
    assert.equal(result.spf.result, 'fail');
    assert.deepEqual(result.dmarc, { result: 'pass', policy: 'reject', fromDomain: 'example.org' });
    assert.match(result.header, /^lists\.example\.org;\r\n\tdkim=pass header\.i=@example\.org header\.s=autolist /);
    assert.match(result.header, /;\r\n\tspf=fail /);
    assert.match(result.header, /;\r\n\tdmarc=pass .*header\.from=example\.org/);
  });

  it('passes DMARC on SPF alone when the MAIL FROM domain is the From domain and the client is in its SPF', async () => {
    const result = await authenticateMessage(chefMessage(), context({ clientIp: '127.0.0.1' }), settings);
    assert.equal(result.dkim.result, 'none');
    assert.deepEqual(result.spf, { result: 'pass', domain: 'example.org' });
    assert.deepEqual(result.dmarc, { result: 'pass', policy: 'reject', fromDomain: 'example.org' });
  });

  it('fails DMARC on an unsigned message from an address outside SPF', async () => {
    const result = await authenticateMessage(chefMessage(), context(), settings);
    assert.equal(result.dkim.result, 'none');
    assert.deepEqual(result.dkim.signatures, []);
    assert.match(result.header, /^lists\.example\.org;\r\n\tdkim=none \(message not signed\);\r\n\tspf=fail /);
    assert.deepEqual(result.spf, { result: 'fail', domain: 'example.org' });
    assert.deepEqual(result.dmarc, { result: 'fail', policy: 'reject', fromDomain: 'example.org' });
    assert.match(result.header, /dmarc=fail/);
  });

  it('fails DKIM when the body was changed after signing, and DMARC with it', async () => {
    const signed = await exampleOrg.sign(chefMessage());
    const tampered = Buffer.from(signed.toString('utf8').replace('Bonjour.', 'Bonjour, virez 1000 euros.'));
    const result = await authenticateMessage(tampered, context(), settings);
    assert.equal(result.dkim.result, 'fail');
    assert.deepEqual(result.dkim.alignedDomains, []);
    assert.equal(result.dmarc.result, 'fail');
    assert.match(result.header, /dkim=fail \(body hash did not verify\) header\.i=@example\.org/);
  });

  it('does not align a passing signature of another domain, nor SPF of another MAIL FROM domain', async () => {
    const result = await authenticateMessage(await other.sign(chefMessage()), context({ clientIp: '127.0.0.1', mailFrom: 'bounce@other.example' }), settings);
    assert.equal(result.dkim.result, 'pass');
    assert.deepEqual(result.dkim.signatures, [{ domain: 'other.example', selector: 'autolist', result: 'pass', aligned: false }]);
    assert.deepEqual(result.dkim.alignedDomains, []);
    assert.deepEqual(result.spf, { result: 'pass', domain: 'other.example' });
    assert.equal(result.dmarc.result, 'fail');
  });

  it('gives DMARC none for a From domain without a DMARC record, even with a passing signature', async () => {
    const signed = await other.sign(message({ From: 'someone@unlisted.example', Subject: 'x' }));
    const result = await authenticateMessage(signed, context({ mailFrom: 'someone@unlisted.example' }), settings);
    assert.equal(result.dkim.result, 'pass');
    assert.equal(result.dmarc.result, 'none');
    assert.equal(result.dmarc.fromDomain, 'unlisted.example');
  });

  it('gives DMARC permerror to a message without a single From address', async () => {
    const noFrom = await authenticateMessage(message({ Subject: 'no From' }), context({ clientIp: '127.0.0.1' }), settings);
    assert.equal(noFrom.dmarc.result, 'permerror');
    assert.match(noFrom.dmarc.reason ?? '', /From/);
    assert.equal(noFrom.dmarc.fromDomain, undefined);
    const twoFroms = await authenticateMessage(message({ From: 'a@example.org, b@other.example' }), context({ clientIp: '127.0.0.1' }), settings);
    assert.equal(twoFroms.dmarc.result, 'permerror');
  });

  it('writes a header that reads back as its results, whatever the client claims in HELO and MAIL FROM', async () => {
    const claims = context({ helo: 'x; dmarc=pass header.from=example.org', mailFrom: '"a; dmarc=pass"@example.org' });
    const result = await authenticateMessage(chefMessage(), claims, settings);
    const parsed = parseAuthenticationResults(result.header);
    assert.equal(parsed?.authservId, MTA);
    assert.deepEqual(
      parsed?.results.map((r) => `${r.method}=${r.result}`),
      ['dkim=none', `spf=${result.spf.result}`, 'dmarc=fail'],
    );
    assert.equal(parsed?.results[1]?.properties['smtp.helo'], 'x; dmarc=pass header.from=example.org');
  });

  it('keeps header text from the message on header lines of its own making: no line break but its folding', async () => {
    const signed = await exampleOrg.sign(chefMessage());
    const result = await authenticateMessage(signed, context({ helo: 'evil\r\nX-Injected: yes' }), settings);
    assert.equal(result.dmarc.result, 'pass');
    assert.doesNotMatch(result.header, /\r\n(?![\t])/);
    assert.doesNotMatch(result.header, /\r\nX-Injected/);
  });
});

describe('authenticateMessage on hostile messages', () => {
  const exampleOrg = new MailDomain('example.org');
  let dns: DnsServer;
  before(async () => {
    dns = await DnsServer.start(exampleOrg.records());
  });
  after(() => dns.dispose());

  it('checks only the first signatures of a message carrying thousands, with a bounded number of DNS queries', async () => {
    const signed = await exampleOrg.sign(chefMessage());
    // Signatures whose body hash is right, each of its own selector: every one checked would cost a DNS query.
    const bodyHash = /bh=([^;]+);/.exec(signed.toString('latin1'))?.[1];
    assert.ok(bodyHash);
    const junk = Array.from({ length: 5000 }, (_, i) => `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=junk${i}; h=from; bh=${bodyHash}; b=AAAA\r\n`).join('');
    const fromLine = signed.indexOf('\r\nFrom: Chef') + 2;
    const hostile = Buffer.concat([signed.subarray(0, fromLine), Buffer.from(junk), signed.subarray(fromLine)]);
    const before = await dns.queries();
    assert.ok(hostile.length > 512 * 1024);
    // A header block limit above the message's, so that the signature limit is what bounds the work.
    const result = await authenticateMessage(hostile, context(), { dnsServers: [dns.address], maxSignatures: 8, maxHeaderBytes: 2 * 1024 * 1024 });
    const queries = (await dns.queries()) - before;
    assert.equal(result.dkim.signatures.length, 8);
    assert.equal(result.dkim.signatures[0]?.result, 'pass', 'the real signature is on top and still checked');
    assert.equal(result.dmarc.result, 'pass');
    assert.match(result.header, /dkim=neutral \(4993 more signatures not checked\)/);
    // 8 keys, SPF (1), DMARC (1 or 2), and room for a resolver's retry on a loaded machine: far from 5000.
    assert.ok(queries >= 8 && queries <= 20, `${queries} DNS queries`);
    assert.ok(result.dkim.signatures.slice(1).every((signature) => signature.result === 'neutral' && signature.selector.startsWith('junk')));
  });

  it('does not check a message whose header block is larger than the limit, and sends no DNS query', async () => {
    const huge = message({ From: 'chef.bretagne@example.org', 'X-Filler': 'x'.repeat(2 * 1024 * 1024) });
    const before = await dns.queries();
    const result = await authenticateMessage(huge, context({ clientIp: '127.0.0.1' }), { dnsServers: [dns.address] });
    assert.equal((await dns.queries()) - before, 0);
    assert.equal(result.dmarc.result, 'permerror');
    assert.match(result.dmarc.reason ?? '', /header block larger than 102400 bytes/);
    assert.equal(result.header, `${MTA}; none (not checked: header block larger than 102400 bytes)`);
  });

  it('checks a message of many small headers under the limit', async () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`X-Header-${i}`, 'v']));
    const result = await authenticateMessage(await exampleOrg.sign(message({ ...many, From: 'chef.bretagne@example.org' })), context(), {
      dnsServers: [dns.address],
    });
    assert.equal(result.dkim.result, 'pass');
    assert.equal(result.dmarc.result, 'pass');
  });
});

describe('authenticateMessage when DNS fails', () => {
  const exampleOrg = new MailDomain('example.org');
  let dns: DnsServer;
  before(async () => {
    dns = await DnsServer.start(exampleOrg.records());
  });
  after(() => dns.dispose());

  it('gives temperror (never fail) when the DNS server does not answer, once the check runs out of time', async () => {
    await dns.pause();
    try {
      const signed = await exampleOrg.sign(chefMessage());
      const result = await authenticateMessage(signed, context({ clientIp: '127.0.0.1' }), { dnsServers: [dns.address], timeoutMs: 1_500 });
      assert.equal(result.dkim.result, 'temperror');
      assert.equal(result.spf.result, 'temperror');
      assert.equal(result.dmarc.result, 'temperror');
      assert.equal(result.dmarc.fromDomain, 'example.org');
    } finally {
      dns.resume();
    }
  });

  it('gives temperror when the DNS server is stopped', async () => {
    await dns.stop();
    const signed = await exampleOrg.sign(chefMessage());
    const result = await authenticateMessage(signed, context({ clientIp: '127.0.0.1' }), { dnsServers: [dns.address], timeoutMs: 5_000 });
    assert.equal(result.dkim.result, 'temperror');
    assert.equal(result.spf.result, 'temperror');
    assert.equal(result.dmarc.result, 'temperror');
    assert.match(result.header, /dmarc=temperror/);
  });

  it('passes again once the DNS server is back', async () => {
    await dns.restart();
    const result = await authenticateMessage(await exampleOrg.sign(chefMessage()), context(), { dnsServers: [dns.address] });
    assert.equal(result.dmarc.result, 'pass');
  });
});
