/**
 * Two replicas (two `autolist serve`, as on two machines) sharing one Redis and one directory (real
 * redis-server and slapd): an invalidation or a reload (HTTP or SIGHUP) through one reaches the other, a client's
 * rate is counted once over both, and a bounce received by one is shown by the other.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Attribute, Change, Client } from 'ldapts';
import { RedisServer } from '../harness/redis.js';
import { ServeProcess } from '../harness/serve.js';
import { Slapd } from '../harness/slapd.js';
import { greeted } from '../harness/smtp-client.js';
import { waitUntil } from '../harness/wait.js';
import { dsn, swaks } from '../smtp/helpers.js';

const D = '@lists.example.org';
const ADMIN = 'admin-token-of-the-replicas-test';
/** How long another replica may take to apply an event: far more than it needs, for a loaded machine. */
const WITHIN_MS = 30_000;

interface Replica {
  dir: string;
  server: ServeProcess;
  http: string;
  smtpPort: number;
}

/** Polls `check` until it holds; returns how long it took (ms), for the test's diagnostics. */
async function until(check: () => Promise<boolean>, what: string): Promise<number> {
  const started = performance.now();
  await waitUntil(check, what, { withinMs: WITHIN_MS, everyMs: 20 });
  return performance.now() - started;
}

async function admin(replica: Replica, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${replica.http}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.equal(response.status, 200, await response.text());
}

async function json<T>(url: string): Promise<T> {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  return (await response.json()) as T;
}

/** Whether the replica counts `address` among the members of liste.chefs-56 (cached or not). */
async function isMember(replica: Replica, address: string): Promise<boolean> {
  return JSON.stringify(await json(`${replica.http}/v1/lists/liste.chefs-56${D}/members`)).includes(address);
}

/** Gives a person of the demo directory another title. */
async function retitle(slapd: Slapd, uid: string, title: string): Promise<void> {
  const client = new Client({ url: slapd.url });
  await client.bind(slapd.bindDN, slapd.password);
  await client.modify(`uid=${uid},ou=people,dc=example,dc=org`, [new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: [title] }) })]);
  await client.unbind();
}

describe('two replicas sharing Redis', { timeout: 240_000 }, () => {
  let redis: RedisServer;
  let slapd: Slapd;
  const replicas: Replica[] = [];

  before(async () => {
    [redis, slapd] = await Promise.all([RedisServer.start(), Slapd.start({ ldif: 'demo/directory.ldif' })]);
    for (const name of ['a', 'b']) {
      const dir = mkdtempSync(join(tmpdir(), `autolist-replica-${name}-`));
      // Each machine has its own copy of the families, deployed alike.
      cpSync('families', join(dir, 'families'), { recursive: true });
      const server = ServeProcess.inFolder(dir, {
        AUTOLIST_FAMILIES_DIR: join(dir, 'families'),
        AUTOLIST_LDAP_URL: slapd.url,
        AUTOLIST_LDAP_BIND_DN: slapd.bindDN,
        AUTOLIST_LDAP_BIND_PASSWORD: slapd.password,
        AUTOLIST_HTTP_ADMIN_TOKEN: ADMIN,
        AUTOLIST_REDIS_URL: redis.url,
        AUTOLIST_SMTP_RATE_MESSAGES_PER_SENDER: '3',
      });
      replicas.push({ dir, server, http: '', smtpPort: 0 });
    }
    for (const replica of replicas) {
      const fronts = await replica.server.fronts();
      replica.http = String(fronts.http);
      replica.smtpPort = Number(new URL(String(fronts.smtp)).port);
    }
  });
  after(async () => {
    for (const { server, dir } of replicas) {
      if (server.child.exitCode === null) server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dir, { recursive: true, force: true });
    }
    await Promise.all([redis?.dispose(), slapd?.dispose()]);
  });

  it("a list's cache invalidated through one replica is dropped by the other", async (t) => {
    const [a, b] = replicas as [Replica, Replica];
    const newcomer = 'gendarme.bretagne@example.org';
    for (const replica of replicas) assert.equal(await isMember(replica, newcomer), false);
    await retitle(slapd, 'gendarme.bretagne', 'chef');
    // Cached for the family's hour on both.
    for (const replica of replicas) assert.equal(await isMember(replica, newcomer), false, 'still cached');
    await admin(a, '/v1/cache/invalidate', { list: `liste.chefs-56${D}` });
    assert.equal(await isMember(a, newcomer), true, 'dropped on the replica that was asked, before its answer');
    const tookMs = await until(() => isMember(b, newcomer), 'the other replica drops its cache');
    t.diagnostic(`the other replica dropped its cache ${tookMs.toFixed(0)} ms after the answer`);
  });

  it('a reload through one replica reloads the other', async (t) => {
    const [a, b] = replicas as [Replica, Replica];
    for (const { dir } of replicas) {
      const charter = join(dir, 'families', 'liste', 'liste.charter');
      writeFileSync(charter, readFileSync(charter, 'utf8').replace('subject             "[{who}-{where}]"', 'subject             "[{who}/{where}]"'));
    }
    const subject = async (replica: Replica) => (await json<{ subject: string }>(`${replica.http}/v1/lists/liste.chefs-56${D}`)).subject;
    assert.equal(await subject(b), '[chefs-56]');
    await admin(a, '/v1/families/reload');
    assert.equal(await subject(a), '[chefs/56]');
    const tookMs = await until(async () => (await subject(b)) === '[chefs/56]', 'the other replica reloads');
    t.diagnostic(`the other replica reloaded ${tookMs.toFixed(0)} ms after the answer`);
  });

  it('SIGHUP to one replica reloads the other', async (t) => {
    const [a, b] = replicas as [Replica, Replica];
    for (const { dir } of replicas) {
      const charter = join(dir, 'families', 'liste', 'liste.charter');
      writeFileSync(charter, readFileSync(charter, 'utf8').replace('subject             "[{who}/{where}]"', 'subject             "[{who}:{where}]"'));
    }
    const from = a.server.lines.length;
    a.server.child.kill('SIGHUP');
    await a.server.logged('families reloaded on every worker', from);
    const subject = async (replica: Replica) => (await json<{ subject: string }>(`${replica.http}/v1/lists/liste.chefs-56${D}`)).subject;
    const tookMs = await until(async () => (await subject(b)) === '[chefs:56]', 'the other replica reloads');
    t.diagnostic(`the other replica reloaded ${tookMs.toFixed(0)} ms after the signal's reload`);
  });

  it("counts a sender's messages once over both replicas", async () => {
    const replies: string[] = [];
    for (let i = 0; i < 6; i++) {
      const client = await greeted(replicas[i % 2]!.smtpPort);
      await client.ask('EHLO client.test');
      replies.push((await client.ask('MAIL FROM:<counted.sender@example.org>')) ?? '');
      await client.quit();
    }
    // Three a minute for the sender, whichever replica it reaches: the fourth to sixth wait.
    assert.equal(replies.filter((r) => r.startsWith('250')).length, 3, replies.join('\n'));
    assert.ok(
      replies.slice(3).every((r) => r.startsWith('450 4.7.1')),
      replies.join('\n'),
    );
  });

  it('shows on one replica a bounce received by the other', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const gone = 'parti.ailleurs@example.org';
    const result = await swaks(a.smtpPort, { from: '<>', to: `liste.chefs-56-bounces${D}`, data: dsn(`liste.chefs-56-bounces${D}`, gone, 'lent@example.org'), extra: ['--helo', 'mx.example.org'] });
    assert.match(result.lastReply, /^250 .*1 destinataire en echec enregistre/, result.transcript);
    const bounced = async (replica: Replica) => (await json<{ addresses: Array<{ address: string }> }>(`${replica.http}/v1/bounces?list=liste.chefs-56${D}`)).addresses.some((x) => x.address === gone);
    // Each process reads the others' bounces from Redis every second: the HTTP workers of both replicas alike.
    for (const replica of [a, b]) await until(() => bounced(replica), 'the HTTP workers count the bounce');
  });

  it('answers an invalidation while Redis is down (this replica applies it, the failure to tell the others is logged), defers a DSN, and tells the others again once Redis is back', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const person = 'gendarme.bretagne@example.org';
    assert.equal(await isMember(b, person), true);
    await retitle(slapd, 'gendarme.bretagne', 'gendarme');
    await redis.stop();
    try {
      const from = a.server.lines.length;
      await admin(a, '/v1/cache/invalidate', { list: `liste.chefs-56${D}` });
      await a.server.logged('an event could not be sent to the other replicas (Redis does not answer); the workers of this serve have it', from);
      // Without the store, the exclusions and additions are unknown: no replica gives members that may include someone who opted out.
      const members = await fetch(`${a.http}/v1/lists/liste.chefs-56${D}/members`);
      assert.equal(members.status, 503);
      assert.equal(((await members.json()) as { code: string }).code, 'STORE_UNAVAILABLE');
      const dsnFrom = a.server.lines.length;
      const report = await swaks(a.smtpPort, {
        from: '<>',
        to: `liste.chefs-56-bounces${D}`,
        data: dsn(`liste.chefs-56-bounces${D}`, 'pendant.la-panne@example.org', 'lent@example.org'),
        extra: ['--helo', 'mx.example.org'],
      });
      assert.match(report.lastReply, /^451 4\.3\.0 /, report.transcript);
      assert.equal((await a.server.logged('message deferred: the shared store does not answer', dsnFrom)).code, 'BOUNCES_STORE_UNAVAILABLE');
    } finally {
      await redis.restart();
    }
    // Once Redis answers: this replica applied the invalidation; the other did not hear of it (an event published while Redis was down is lost).
    await until(async () => (await fetch(`${a.http}/v1/lists/liste.chefs-56${D}/members`)).status === 200, 'the members are given again once Redis answers');
    assert.equal(await isMember(a, person), false, 'dropped here');
    await until(async () => (await fetch(`${b.http}/v1/lists/liste.chefs-56${D}/members`)).status === 200, 'the members are given again once Redis answers');
    assert.equal(await isMember(b, person), true, 'the other replica did not hear of it');
    // No restart of autolist: each process connects again and subscribes again by itself (an event published before it has is lost: asked again).
    await until(async () => {
      await admin(a, '/v1/cache/invalidate', { list: `liste.chefs-56${D}` });
      return !(await isMember(b, person));
    }, 'the other replica hears of invalidations again');
  });
});
