/**
 * STARTTLS and AUTH with swaks (its Perl TLS modules come from test/install-peers.sh): a throwaway
 * self-signed certificate made with openssl, an accounts file made here; AUTH only over TLS, its
 * user passed to the rights (the `authenticated` condition of the test family equipe).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { DnsServer } from '../harness/dns.js';
import { familiesWith } from '../harness/families.js';
import { demoAddresses, message, outboxBatches, startFront, swaks, type Front } from './helpers.js';

const run = promisify(execFile);
const USER = 'gendarme';
const PASSWORD = 'correct horse battery staple';
/** Not a chef: equipe-56 takes his mail only when he authenticated (rule 3 of equipe's send rights). */
const GENDARME = 'gendarme.bretagne@example.org';
const EQUIPE = 'equipe-56@lists.example.org';
const equipe56 = demoAddresses((a) => (a.get('objectclass') ?? []).includes('inetOrgPerson') && a.get('departmentnumber')?.[0] === '56');

describe('SMTP front: STARTTLS and AUTH', () => {
  let dir: string;
  let families: ReturnType<typeof familiesWith>;
  let dns: DnsServer;
  let f: Front;
  let port: number;
  const tls = ['--tls'];
  const auth = (password: string): string[] => ['--auth', 'PLAIN', '--auth-user', USER, '--auth-password', password];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-tls-'));
    const [cert, key, users] = [join(dir, 'cert.pem'), join(dir, 'key.pem'), join(dir, 'users')];
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=lists.test']);
    const salt = randomBytes(16);
    writeFileSync(users, `# test account\n${USER}:scrypt$${salt.toString('base64')}$${scryptSync(PASSWORD, salt, 32).toString('base64')}\n`);
    families = familiesWith([], ['equipe']);
    // A DNS server that knows no name: the message checks at end of DATA find no key and no policy.
    dns = await DnsServer.start({});
    f = await startFront({
      AUTOLIST_SMTP_TLS_CERT_FILE: cert,
      AUTOLIST_SMTP_TLS_KEY_FILE: key,
      AUTOLIST_SMTP_AUTH_USERS_FILE: users,
      AUTOLIST_FAMILIES_DIR: families.dir,
      AUTOLIST_DNS_SERVERS: dns.address,
    });
    port = f.front.address.port;
  });
  after(async () => {
    await f.close();
    await dns.dispose();
    families.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('offers STARTTLS and takes a message over TLS', async () => {
    const data = message({ From: 'chef.ajaccio@example.org', To: 'liste.chefs-2a@lists.example.org', Subject: 'chiffré' }, 'x');
    const result = await swaks(port, { from: 'chef.ajaccio@example.org', to: 'liste.chefs-2a@lists.example.org', data, extra: tls });
    assert.match(result.transcript, /^<- +250[ -]STARTTLS$/m);
    assert.match(result.lastReply, /^250 2\.0\.0 /, result.transcript);
    assert.match(receivedOf(outboxBatches(f.outbox)[0]?.message), / with ESMTPS id /, 'the message came over TLS');
  });

  it('refuses AUTH before STARTTLS', async () => {
    const result = await swaks(port, { from: GENDARME, to: EQUIPE, quitAfter: 'AUTH', extra: auth(PASSWORD) });
    assert.match(result.lastReply, /^538 .*STARTTLS/, result.transcript);
  });

  it('answers AUTH PLAIN over TLS 235 with the right password, 535 5.7.8 with a wrong one', async () => {
    const good = await swaks(port, { from: GENDARME, to: EQUIPE, quitAfter: 'AUTH', extra: [...tls, ...auth(PASSWORD)] });
    assert.match(good.lastReply, /^235 /, good.transcript);
    const bad = await swaks(port, { from: GENDARME, to: EQUIPE, quitAfter: 'AUTH', extra: [...tls, ...auth('wrong horse')] });
    assert.match(bad.lastReply, /^535 5\.7\.8 /, bad.transcript);
  });

  it('lets an authenticated sender through a rule that needs `authenticated`, and refuses him unauthenticated', async () => {
    const data = message({ From: GENDARME, To: EQUIPE, Subject: 'authentifié' }, 'x');
    rmSync(f.outbox, { recursive: true, force: true });
    // Unauthenticated, only DKIM or SPF (rule 5) could let him in: the message decides, and has neither.
    const anonymous = await swaks(port, { from: GENDARME, to: EQUIPE, data, extra: tls });
    assert.match(anonymous.transcript, /^<~ +250 Accepted\n ~> DATA$/m, 'accepted at RCPT until the message is read');
    assert.match(anonymous.lastReply, /^550 5\.7\.1 gendarme\.bretagne@example\.org may not send to equipe-56@lists\.example\.org: .*the sender did not authenticate/, anonymous.transcript);
    assert.deepEqual(outboxBatches(f.outbox), []);
    const authenticated = await swaks(port, { from: GENDARME, to: EQUIPE, data, extra: [...tls, ...auth(PASSWORD)] });
    assert.match(authenticated.lastReply, /^250 2\.0\.0 /, authenticated.transcript);
    const batches = outboxBatches(f.outbox);
    assert.deepEqual(batches.flatMap((b) => b.recipients).sort(), equipe56);
    assert.match(receivedOf(batches[0]?.message), / with ESMTPSA id /, 'over TLS, authenticated');
  });
});

/** The Received header autolist added, unfolded. */
function receivedOf(eml: Buffer | undefined): string {
  return /^Received: (.*)$/m.exec(eml?.toString('utf8').replace(/\r\n[ \t]+/g, ' ') ?? '')?.[1] ?? '';
}

describe('SMTP front without a certificate', () => {
  it('does not offer STARTTLS', async () => {
    const f = await startFront();
    try {
      const result = await swaks(f.front.address.port, { from: 'chef.ajaccio@example.org', to: 'liste.chefs-2a@lists.example.org', quitAfter: 'EHLO' });
      assert.match(result.lastReply, /^250 /, result.transcript);
      assert.doesNotMatch(result.transcript, /STARTTLS/);
    } finally {
      await f.close();
    }
  });

  it('refuses an AUTH accounts file: passwords would go in the clear', () => {
    assert.throws(
      () => loadConfig({ AUTOLIST_SMTP_AUTH_USERS_FILE: import.meta.filename }),
      (error: unknown) => error instanceof ConfigError && /AUTOLIST_SMTP_AUTH_USERS_FILE needs AUTOLIST_SMTP_TLS_CERT_FILE/.test(error.message),
    );
  });
});
