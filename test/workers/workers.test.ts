/**
 * `autolist serve` with two workers a front, as an operator runs it over slapd: every worker of a
 * front answers (node:cluster deals connections round robin), and what one worker learns (an
 * invalidation, a reload, a bounce, a rate, metrics) every other worker knows before the answer.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Attribute, Change, Client } from 'ldapts';
import { D } from '../harness/families.js';
import { childrenOf, ServeProcess } from '../harness/serve.js';
import { Slapd } from '../harness/slapd.js';
import { greeted } from '../harness/smtp-client.js';
import { waitUntil } from '../harness/wait.js';
import { dsn, swaks } from '../smtp/helpers.js';

const WORKERS = 2;
/** Requests each on a connection of its own: round robin gives every worker of the front its share. */
const ROUNDS = 3 * WORKERS;

/** A GET on a new connection (no keep-alive: each request may reach another worker). */
function fresh(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** The same GET on ROUNDS connections: what every worker answers. */
async function everyWorker(url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const { status, body } = await fresh(url);
    assert.equal(status, 200, body);
    bodies.push(body);
  }
  return bodies;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('autolist serve with workers', { timeout: 180_000 }, () => {
  let dir: string;
  let slapd: Slapd;
  let server: ServeProcess;
  let http: string;
  let smtpPort: number;
  const admin = 'admin-token-of-the-workers-test';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-workers-'));
    cpSync('families', join(dir, 'families'), { recursive: true });
    slapd = await Slapd.start({ ldif: 'demo/directory.ldif' });
    server = ServeProcess.inFolder(dir, {
      AUTOLIST_FAMILIES_DIR: join(dir, 'families'),
      AUTOLIST_LDAP_URL: slapd.url,
      AUTOLIST_LDAP_BIND_DN: slapd.bindDN,
      AUTOLIST_LDAP_BIND_PASSWORD: slapd.password,
      AUTOLIST_HTTP_ADMIN_TOKEN: admin,
      AUTOLIST_HTTP_WORKERS: String(WORKERS),
      AUTOLIST_SMTP_WORKERS: String(WORKERS),
      // Loopback is exempt from the SMTP rates by default: here it is counted.
      AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS: '192.0.2.0/24',
      AUTOLIST_SMTP_RATE_MESSAGES_PER_IP: '4',
    });
    const fronts = await server.fronts();
    http = String(fronts.http);
    smtpPort = Number(new URL(String(fronts.smtp)).port);
  });
  after(async () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await slapd?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the workers it was asked for, each front on one port', async () => {
    const serving = await server.logged('autolist serving');
    assert.deepEqual(serving.workers, { http: WORKERS, smtp: WORKERS });
    assert.equal(childrenOf(server.child.pid!).length, 2 * WORKERS);
  });

  it('an invalidation through one worker reaches every worker before the answer', async () => {
    const members = `${http}/v1/lists/liste.chefs-56${D}/members`;
    const before = await everyWorker(members);
    assert.ok(before.every((b) => !b.includes('gendarme.bretagne@example.org')));
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.bindDN, slapd.password);
    await client.modify('uid=gendarme.bretagne,ou=people,dc=example,dc=org', [new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: ['chef'] }) })]);
    await client.unbind();
    // Cached for the family's hour in every worker.
    assert.ok((await everyWorker(members)).every((b) => !b.includes('gendarme.bretagne@example.org')));
    const response = await fetch(`${http}/v1/cache/invalidate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ list: `liste.chefs-56${D}` }),
    });
    assert.equal(response.status, 200, await response.text());
    assert.ok((await everyWorker(members)).every((b) => b.includes('gendarme.bretagne@example.org')));
  });

  it('SIGHUP reloads every worker', async () => {
    const charter = join(dir, 'families', 'liste', 'liste.charter');
    const original = readFileSync(charter, 'utf8');
    writeFileSync(charter, original.replace('subject             "[{who}-{where}]"', 'subject             "[{who}/{where}]"'));
    const from = server.lines.length;
    server.child.kill('SIGHUP');
    const reloaded = await server.logged('families reloaded on every worker', from);
    assert.equal(reloaded.workers, 2 * WORKERS);
    const subjects = (await everyWorker(`${http}/v1/lists/liste.chefs-56${D}`)).map((b) => (JSON.parse(b) as { subject: string }).subject);
    assert.deepEqual(new Set(subjects), new Set(['[chefs/56]']));
  });

  it('a bounce received by an SMTP worker is shown by every HTTP worker', async () => {
    const gone = 'parti.ailleurs@example.org';
    const data = dsn(`liste.chefs-56-bounces${D}`, gone, 'lent@example.org');
    const result = await swaks(smtpPort, { from: '<>', to: `liste.chefs-56-bounces${D}`, data, extra: ['--helo', 'mx.example.org'] });
    assert.match(result.lastReply, /^250 .*1 destinataire en echec enregistre/, result.transcript);
    const totals = (await everyWorker(`${http}/v1/bounces?list=liste.chefs-56${D}`)).map((b) => JSON.parse(b) as { addresses: Array<{ address: string }> });
    assert.ok(totals.every((t) => t.addresses.some((a) => a.address === gone)));
  });

  it('counts a client against one rate, whichever worker takes its connection', async () => {
    const replies: string[] = [];
    for (let i = 0; i < 6; i++) {
      // From an address of its own, that no other test uses.
      const client = await greeted(smtpPort, '127.0.0.7');
      await client.ask('EHLO client.test');
      replies.push((await client.ask('MAIL FROM:<chef.bretagne@example.org>')) ?? '');
      await client.quit();
    }
    // Four a minute from one address, over connections dealt to both workers: the fifth and sixth wait.
    assert.equal(replies.filter((r) => r.startsWith('250')).length, 4, replies.join('\n'));
    assert.ok(
      replies.slice(4).every((r) => r.startsWith('450 4.7.1')),
      replies.join('\n'),
    );
  });

  it("sums every worker's figures in /metrics, whichever worker answers", async () => {
    const texts = await everyWorker(`${http}/metrics`);
    for (const text of texts) {
      assert.match(text, /^autolist_families 2$/m);
      assert.match(text, /^autolist_rate_limited_total\{front="smtp",limit="messages_per_ip"\} 2$/m);
    }
  });

  it('starts another worker when one dies, and its front keeps answering', async () => {
    const [victim] = childrenOf(server.child.pid!);
    const from = server.lines.length;
    process.kill(victim!, 'SIGKILL');
    await server.logged('a worker stopped; another takes its place', from);
    await waitUntil(() => childrenOf(server.child.pid!).length === 2 * WORKERS, `${2 * WORKERS} workers again`, { everyMs: 200 });
    await everyWorker(`${http}/healthz`);
  });

  it('its workers stop with it, even when it is killed', async () => {
    const workers = childrenOf(server.child.pid!);
    server.child.kill('SIGKILL');
    await server.exited;
    await waitUntil(
      () => !workers.some(alive),
      () => `workers ${workers.filter(alive).join(', ')} gone`,
      { everyMs: 100 },
    );
  });
});

describe('autolist serve --fronts', { timeout: 60_000 }, () => {
  it('serves only the fronts named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autolist-fronts-'));
    const server = ServeProcess.start(
      { AUTOLIST_SMTP_PORT: '0', AUTOLIST_HTTP_PORT: '0', AUTOLIST_OUTBOX_DIR: join(dir, 'outbox'), AUTOLIST_RELAY_STATE_DIR: join(dir, 'state'), AUTOLIST_BOUNCES_FILE: join(dir, 'b.log') },
      ['--fronts', 'smtp'],
    );
    try {
      const fronts = await server.fronts();
      assert.deepEqual(Object.keys(fronts), ['smtp']);
      const client = await greeted(Number(new URL(String(fronts.smtp)).port));
      await client.quit();
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
