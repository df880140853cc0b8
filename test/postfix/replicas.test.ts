/**
 * README.md's "Operating autolist" followed on one machine: mx1 and mx2 each a private Postfix with
 * README's main.cf and master.cf lines and one `autolist serve` with README's environment (read from
 * README.md; addresses and ports made loopback ones), sharing one redis-server and one slapd (the
 * demo directory). Postfix relays the members' copies to an smtp-sink (its relayhost), where each
 * member's copies are counted, and which autolist relayed each (its Received line names it).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RedisConnection } from '../../src/store/redis-connection.js';
import { PostfixInstance } from '../harness/postfix.js';
import { freePort } from '../harness/ports.js';
import { RedisServer } from '../harness/redis.js';
import { ServeProcess } from '../harness/serve.js';
import { Slapd } from '../harness/slapd.js';
import { waitUntil } from '../harness/wait.js';
import { demoAddresses, message, swaks } from '../smtp/helpers.js';
import { SmtpSink } from '../smtp/smtp-sink.js';
import { connectTo } from '../store/backings.js';
import { postmap } from './helpers.js';
import { readmeMainCf, readmeMasterCf, readmeReplicaEnv } from './readme-config.js';

const CHEF = 'chef.bretagne@example.org';
const CHEFS_56 = 'liste.chefs-56@lists.example.org';
const NATIONAL = 'liste.personnels-national@lists.example.org';
const chefs56 = demoAddresses((a) => /^chef$/i.test(a.get('title')?.[0] ?? '') && a.get('departmentnumber')?.[0] === '56');
/** Every person of the demo directory. */
const everyone = [...new Set(demoAddresses((a) => (a.get('objectclass') ?? []).some((c) => /^inetOrgPerson$/i.test(c))))];
/** Small batches, few at once: a fan-out of many transactions, of which few are under way at any time. */
const BATCH_SIZE = 50;
const PARALLEL_BATCHES = 2;
/** Bound on waiting for a fan-out to reach the sink, the failover's included (a lock of a dead replica lapses within 15 s). */
const DELIVERY_BOUND_MS = 120_000;

/** The machines of README.md's example, and the names their autolist gives itself there. */
const README_MACHINES = [
  { name: 'mx1', address: '10.0.0.1', lists: 'lists1.example.org' },
  { name: 'mx2', address: '10.0.0.2', lists: 'lists2.example.org' },
] as const;
/** The ports README.md's environment names: autolist's SMTP front (the default), relay listener, socketmap, policy. */
const README_PORTS = { smtp: 2525, relay: 10025, socketmap: 2526, policy: 2527 };

interface Ports {
  /** autolist's SMTP front. */
  smtp: number;
  /** Postfix's listener for autolist's relay (README's 127.0.0.1:10025). */
  relay: number;
  socketmap: number;
  policy: number;
}

interface Machine {
  readonly name: string;
  /** autolist's name in its greeting and Received lines. */
  readonly lists: string;
  readonly ports: Ports;
  readonly dir: string;
  readonly env: Record<string, string>;
  readonly postfix: PostfixInstance;
  autolist: ServeProcess;
}

/**
 * README.md's environment for machine `index`: on mx2 its two machines' addresses swapped and
 * lists1 named lists2, as README.md says; then each machine's address, the wildcard and Redis' made
 * 127.0.0.1, README's ports the test's, the directory and Redis the test's (Redis without a
 * password), secrets in files of the machine's folder.
 */
function machineEnv(index: 0 | 1, ports: readonly Ports[], dir: string, peers: { slapd: Slapd; redis: RedisServer }): Record<string, string> {
  const readme = readmeReplicaEnv();
  for (const name of [
    'AUTOLIST_REDIS_URL',
    'AUTOLIST_RELAY_URL',
    'AUTOLIST_POSTFIX_SOCKETMAP_VALUE',
    'AUTOLIST_SMTP_XFORWARD_CLIENTS',
    'AUTOLIST_LDAP_URL',
    'AUTOLIST_LDAP_BIND_DN',
    'AUTOLIST_LDAP_BIND_PASSWORD_FILE',
  ]) {
    assert.ok(readme[name] !== undefined, `README.md's environment has no ${name}`);
  }
  const [own, other] = index === 0 ? [0, 1] : [1, 0];
  const self = README_MACHINES[own];
  const peer = README_MACHINES[other];
  const mine = ports[own] as Ports;
  const theirs = ports[other] as Ports;
  const secret = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  };
  const env: Record<string, string> = {};
  for (const [name, written] of Object.entries(readme)) {
    // mx2's environment: README.md's with the machines swapped.
    let value = index === 0 ? written : written.replaceAll('10.0.0.1', '\0').replaceAll('10.0.0.2', '10.0.0.1').replaceAll('\0', '10.0.0.2').replaceAll(README_MACHINES[0].lists, self.lists);
    value = value
      .replaceAll(`[127.0.0.1]:${README_PORTS.smtp}`, `[127.0.0.1]:${mine.smtp}`)
      .replaceAll(`[${peer.address}]:${README_PORTS.smtp}`, `[127.0.0.1]:${theirs.smtp}`)
      .replaceAll(`127.0.0.1:${README_PORTS.relay}`, `127.0.0.1:${mine.relay}`)
      .replaceAll(/\b10\.0\.0\.\d\b/g, '127.0.0.1')
      .replaceAll('0.0.0.0', '127.0.0.1');
    env[name] = value;
  }
  assert.equal(env.AUTOLIST_POSTFIX_SOCKETMAP_PORT, String(README_PORTS.socketmap), "README.md's environment names another socketmap port than its main.cf");
  assert.equal(env.AUTOLIST_POSTFIX_POLICY_PORT, String(README_PORTS.policy), "README.md's environment names another policy port than its main.cf");
  assert.equal(env.AUTOLIST_RELAY_URL, `smtp://127.0.0.1:${mine.relay}`, "README.md's AUTOLIST_RELAY_URL is not its master.cf's listener");
  assert.match(
    env.AUTOLIST_POSTFIX_SOCKETMAP_VALUE as string,
    new RegExp(`^smtp:\\[127\\.0\\.0\\.1\\]:${mine.smtp}, \\[127\\.0\\.0\\.1\\]:${theirs.smtp}$`),
    "README.md's socketmap value is not this machine's front, then the other's",
  );
  Object.assign(env, {
    AUTOLIST_POSTFIX_SOCKETMAP_PORT: String(mine.socketmap),
    AUTOLIST_POSTFIX_POLICY_PORT: String(mine.policy),
    // README.md leaves the SMTP front on its default port, 2525.
    AUTOLIST_SMTP_PORT: String(mine.smtp),
    AUTOLIST_LDAP_URL: peers.slapd.url,
    AUTOLIST_LDAP_BIND_DN: peers.slapd.bindDN,
    AUTOLIST_LDAP_BIND_PASSWORD_FILE: secret('ldap-password', peers.slapd.password),
    AUTOLIST_REDIS_URL: peers.redis.url,
  });
  for (const name of Object.keys(env).filter((n) => n.startsWith('AUTOLIST_HTTP_') && n.endsWith('_TOKEN_FILE')))
    env[name] = secret(name.toLowerCase(), `${name.toLowerCase()}-of-${self.name}-0123456789`);
  return { ...env, AUTOLIST_RELAY_BATCH_SIZE: String(BATCH_SIZE), AUTOLIST_RELAY_PARALLEL_BATCHES: String(PARALLEL_BATCHES) };
}

/** Every `autolist serve` started, for the cleanup. */
const servers: ServeProcess[] = [];

/** `autolist serve` with a machine's environment, in its folder (outbox, state, bounces), in a process group of its own (a crash kills it all); resolves once it serves. */
async function startAutolist(machine: Pick<Machine, 'name' | 'dir' | 'env'>): Promise<ServeProcess> {
  const server = ServeProcess.inFolder(machine.dir, machine.env, [], { processGroup: true });
  servers.push(server);
  await Promise.race([server.fronts(), server.exited.then((code) => assert.fail(`autolist serve on ${machine.name} exited (${code}): ${JSON.stringify(server.lines.slice(-3))}`))]);
  return server;
}

/** A message from the chef, its Message-ID naming it. */
const letter = (to: string, id: string): string => message({ From: CHEF, To: to, Subject: id, 'Message-ID': `<${id}@example.org>` }, 'Réunion lundi.');

/** The copies of one message at the sink: for each member, the names of the autolist that relayed each copy. */
function copiesOf(sink: SmtpSink, id: string): Map<string, string[]> {
  const copies = new Map<string, string[]>();
  for (const transaction of sink.transactions()) {
    if (!transaction.message.includes(`Message-ID: <${id}@example.org>`)) continue;
    // The Received line autolist adds, unfolded.
    const relayedBy = /\bby\s+(\S+)\s+\(autolist\)/.exec(transaction.message)?.[1] ?? 'unknown';
    for (const recipient of transaction.recipients) copies.set(recipient, [...(copies.get(recipient) ?? []), relayedBy]);
  }
  return copies;
}

/** Waits until every one of `members` has a copy of the message at the sink and both queues are empty. */
async function delivered(machines: readonly Machine[], sink: SmtpSink, id: string, members: readonly string[]): Promise<Map<string, string[]>> {
  let copies = new Map<string, string[]>();
  await waitUntil(
    () => {
      copies = copiesOf(sink, id);
      return members.every((m) => copies.has(m)) && machines.every((m) => m.postfix.queueIsEmpty());
    },
    () =>
      `${id}: ${members.filter((m) => !copies.has(m)).length} of ${members.length} members without a copy, queues empty: ${machines.map((m) => `${m.name} ${m.postfix.queueIsEmpty()}`).join(', ')}\n${machines.map((m) => `${m.name}:\n${m.postfix.log().slice(-3000)}`).join('\n')}`,
    { withinMs: DELIVERY_BOUND_MS, everyMs: 200 },
  );
  return copiesOf(sink, id);
}

describe('README.md "Operating autolist" on one machine: two Postfix, two autolist serve, one Redis, one slapd', { timeout: 300_000 }, () => {
  let slapd: Slapd;
  let redis: RedisServer;
  let sink: SmtpSink;
  let records: RedisConnection | undefined;
  const machines: Machine[] = [];
  const postfixes: PostfixInstance[] = [];
  const dirs: string[] = [];

  before(async () => {
    [slapd, redis, sink] = await Promise.all([Slapd.start({ ldif: 'demo/directory.ldif' }), RedisServer.start(), SmtpSink.start()]);
    // Eight ports, none picked twice.
    const picked = new Set<number>();
    while (picked.size < 8) picked.add(await freePort());
    const at = (i: number): number => [...picked][i] as number;
    const ports: Ports[] = [0, 4].map((i) => ({ smtp: at(i), relay: at(i + 1), socketmap: at(i + 2), policy: at(i + 3) }));
    // Both autolist at once; each Postfix once its autolist listens, so that the port Postfix picks for itself is none of autolist's.
    const started = await Promise.all(
      ([0, 1] as const).map(async (index) => {
        const { name, lists } = README_MACHINES[index];
        const dir = mkdtempSync(join(tmpdir(), `autolist-${name}-`));
        dirs.push(dir);
        mkdirSync(join(dir, 'secrets'));
        const mine = ports[index] as Ports;
        const env = machineEnv(index, ports, join(dir, 'secrets'), { slapd, redis });
        const autolist = await startAutolist({ name, dir, env });
        const postfix = await PostfixInstance.start({
          hostname: `${name}.example.org`,
          mainCf: [
            // The members' copies (and any other mail not for the lists) go to the sink.
            `relayhost = [127.0.0.1]:${sink.port}`,
            // A deferred message is tried again within seconds, not minutes.
            'queue_run_delay = 1s',
            'minimal_backoff_time = 1s',
            'maximal_backoff_time = 2s',
            readmeMainCf(mine),
          ].join('\n'),
          masterCf: readmeMasterCf(mine.relay),
        });
        postfixes.push(postfix);
        return { name, lists, ports: mine, dir, env, postfix, autolist };
      }),
    );
    machines.push(...started);
    records = await connectTo(redis);
  });

  after(async () => {
    records?.disconnect();
    for (const server of servers) {
      if (server.child.exitCode !== null || server.child.signalCode !== null) continue;
      server.crash();
      await server.exited;
    }
    await Promise.all([...postfixes.map((p) => p.dispose()), slapd?.dispose(), redis?.dispose(), sink?.dispose()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("has each autolist ready (directory and Redis answer), its socketmap answering this machine's front first, then the other's", async () => {
    for (const [m, other] of [machines, [...machines].reverse()] as Array<[Machine, Machine]>) {
      const http = (await m.autolist.fronts()).http as string;
      const response = await fetch(`${http}/readyz`);
      const ready = (await response.json()) as { directory?: string; store?: string };
      assert.equal(response.status, 200, JSON.stringify(ready));
      assert.deepEqual([ready.directory, ready.store], ['ldap', 'redis']);
      const lookup = await postmap(m.ports.socketmap, { key: CHEFS_56 });
      assert.equal(lookup.stdout.trim(), `smtp:[127.0.0.1]:${m.ports.smtp}, [127.0.0.1]:${other.ports.smtp}`, lookup.stderr);
    }
  });

  it("delivers a message through mx1's Postfix and another through mx2's to each member exactly once, each through its own machine's autolist", async () => {
    assert.ok(chefs56.length >= 2, 'the demo directory has chefs in 56');
    for (const m of machines) {
      const result = await swaks(m.postfix.port, { from: CHEF, to: CHEFS_56, data: letter(CHEFS_56, `through-${m.name}`) });
      assert.match(result.lastReply, /^250 /, result.transcript);
    }
    for (const m of machines) {
      const copies = await delivered(machines, sink, `through-${m.name}`, chefs56);
      assert.deepEqual(new Map([...copies].sort()), new Map(chefs56.map((a) => [a, [m.lists]])));
    }
  });

  it("sends a message whose fan-out mx1's autolist was killed in through mx2's autolist, to the members not yet reached", async (t) => {
    const [mx1, mx2] = machines as [Machine, Machine];
    const redisKeys = async (): Promise<string[]> => (records as RedisConnection).keys('autolist:delivery:*:reached');
    const before = new Set(await redisKeys());
    const result = await swaks(mx1.postfix.port, { from: CHEF, to: NATIONAL, data: letter(NATIONAL, 'failover') });
    assert.match(result.lastReply, /^250 /, result.transcript);

    // The moment: mx1's autolist recorded its first batch in Redis (the members Postfix took), far from its last.
    let reachedKey = '';
    await waitUntil(
      async () => {
        reachedKey ||= (await redisKeys()).find((k) => !before.has(k)) ?? '';
        return reachedKey !== '' && (await (records as RedisConnection).scard(reachedKey)) >= BATCH_SIZE;
      },
      () => `mx1's autolist records a first batch in Redis:\n${mx1.postfix.log().slice(-3000)}`,
      { withinMs: DELIVERY_BOUND_MS, everyMs: 5 },
    );
    mx1.autolist.crash();
    await mx1.autolist.exited;
    const reachedAtKill = new Set(await (records as RedisConnection).smembers(reachedKey));
    // The record of a try that reached everyone is dropped: a set still there, short of everyone, is a fan-out under way.
    assert.ok(reachedAtKill.size >= BATCH_SIZE && reachedAtKill.size < everyone.length, `not killed in the middle of the fan-out (${reachedAtKill.size} members recorded)`);
    // Started again at once, as systemd's Restart=on-failure does: the copies mx1's Postfix took from it
    // before it died wait in mx1's queue until then (its every transport lookup asks the socketmap).
    const restarted = startAutolist(mx1);

    const copies = await delivered(machines, sink, 'failover', everyone);
    mx1.autolist = await restarted;
    // In the same delivery: no try of it deferred in between.
    const tries = mx1.postfix
      .log()
      .split('\n')
      .filter((l) => l.includes(`to=<${NATIONAL}>`));
    for (const line of tries) t.diagnostic(`mx1's Postfix: ${line}`);
    assert.equal(tries.length, 1);
    assert.match(tries[0] as string, new RegExp(`, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:${mx2.ports.smtp},.* status=sent `));
    const byMx1 = everyone.filter((a) => copies.get(a)?.includes(mx1.lists));
    const byMx2 = everyone.filter((a) => copies.get(a)?.includes(mx2.lists));
    const duplicated = everyone.filter((a) => (copies.get(a)?.length ?? 0) > 1);
    t.diagnostic(
      `${everyone.length} members: ${reachedAtKill.size} recorded in Redis at the kill, ${byMx1.length} reached through mx1's autolist, ${byMx2.length} through mx2's; ` +
        `${duplicated.length} got two copies (at most ${PARALLEL_BATCHES} batches of ${BATCH_SIZE} under way: ${PARALLEL_BATCHES * BATCH_SIZE})`,
    );
    // Everyone at least once; those recorded at the kill once, through mx1's autolist only; everyone else once through mx2's.
    assert.deepEqual(
      everyone.filter((a) => !copies.has(a)),
      [],
    );
    for (const address of reachedAtKill) assert.deepEqual(copies.get(address), [mx1.lists], address);
    for (const address of everyone.filter((a) => !reachedAtKill.has(a))) assert.equal(copies.get(address)?.filter((by) => by === mx2.lists).length, 1, address);
    // A second copy only for members of the batches under way when it died: taken by Postfix, not yet recorded.
    assert.ok(duplicated.every((a) => !reachedAtKill.has(a) && copies.get(a)?.length === 2));
    assert.ok(duplicated.length <= PARALLEL_BATCHES * BATCH_SIZE, `${duplicated.length} members got two copies`);
  });

  it('answers 4xx at RCPT on mx1 while its autolist is stopped (nothing taken), while mail through mx2 is delivered', async () => {
    const [mx1, mx2] = machines as [Machine, Machine];
    assert.equal(await mx1.autolist.stop(), 0);
    const refused = await swaks(mx1.postfix.port, { from: CHEF, to: CHEFS_56, data: letter(CHEFS_56, 'refused-by-mx1') });
    assert.match(refused.lastReply, /^450 4\.3\.5 .*list policy service unavailable$/, refused.transcript);
    assert.ok(mx1.postfix.queueIsEmpty());

    const result = await swaks(mx2.postfix.port, { from: CHEF, to: CHEFS_56, data: letter(CHEFS_56, 'through-mx2-alone') });
    assert.match(result.lastReply, /^250 /, result.transcript);
    const copies = await delivered(machines, sink, 'through-mx2-alone', chefs56);
    assert.deepEqual(new Map([...copies].sort()), new Map(chefs56.map((a) => [a, [mx2.lists]])));
  });
});
