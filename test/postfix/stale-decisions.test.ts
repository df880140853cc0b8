/**
 * Decisions do not outlive the directory: a rights decision rests on directory answers no older
 * than AUTOLIST_RIGHTS_CACHE_TTL; when slapd cannot refresh them it defers, while a list's members
 * (for delivery) may still be served stale. Replies keep the failure's details for the log.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { DEMO_DIRECTORY } from '../../src/config/config.js';
import { startPolicyServer, type RunningServer } from '../../src/postfix/index.js';
import type { Services } from '../../src/services.js';
import { Slapd } from '../harness/slapd.js';
import { D, HANG_GUARD, PolicyClient, rcptRequest, testServices } from './helpers.js';

const CHEF = 'chef.bretagne@example.org';
const CHEFS_56 = `liste.chefs-56${D}`;

/** One scenario, in order, on a clock the test moves: slapd answers, stops, comes back. */
describe('rights decisions while slapd is stopped', HANG_GUARD, () => {
  let slapd: Slapd;
  let services: Services;
  let policy: RunningServer;
  let now = Date.parse('2026-01-01T00:00:00Z');
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  before(async () => {
    slapd = await Slapd.start({ ldif: DEMO_DIRECTORY });
    services = await testServices({ slapd, now: () => now, logger: pino({ level: 'info' }, sink) });
    policy = await startPolicyServer(services, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await policy.close();
    await services.close();
    await slapd.dispose();
  });

  async function ask(sender: string, recipient: string): Promise<string | undefined> {
    const client = await PolicyClient.connect(policy.address.port);
    try {
      return await client.ask(rcptRequest({ sender, recipient }));
    } finally {
      client.close();
    }
  }

  it('allows the chef while slapd answers', async () => {
    assert.equal(services.config.rights.ttlSeconds, 30);
    assert.equal(await ask(CHEF, CHEFS_56), 'DUNNO');
  });

  it('within AUTOLIST_RIGHTS_CACHE_TTL of the directory answer, the decision made stands', async () => {
    await slapd.stop();
    now += 10_000;
    assert.equal(await ask(CHEF, CHEFS_56), 'DUNNO');
  });

  it('61 s into the outage, the known chef is deferred (DEFER_IF_PERMIT 4.4.3), not allowed on a stale entry', async () => {
    now += 51_000;
    const answer = await ask(CHEF, CHEFS_56);
    assert.equal(answer, `DEFER_IF_PERMIT 4.4.3 ${CHEF} ne peut pas etre verifie pour le moment : l'annuaire n'a pas pu repondre ; reessayez plus tard`);
    assert.doesNotMatch(answer ?? '', /ldap:|127\.0\.0\.1|DIRECTORY_|ECONN/, 'no internals in the answer');
    const deferred = lines.find((l) => l.msg === 'rights deferred: the directory could not answer');
    assert.ok(deferred, 'the failure is logged');
    assert.match(String((deferred.err as { code?: string } | undefined)?.code), /^DIRECTORY_/, 'with its details');
    const decision = lines.filter((l) => l.msg === 'policy decision').at(-1);
    assert.equal(decision?.kind, 'defer');
    assert.equal(decision?.list, CHEFS_56);
  });

  it('the members, for delivery, are still served stale within AUTOLIST_MEMBERS_MAX_STALE', async () => {
    now += 2 * 3600 * 1000; // past the family's cache-ttl (1 h)
    const members = await services.membership.expand(services.catalog.resolver.resolve(CHEFS_56));
    assert.equal(members.stale, true);
    assert.equal(members.ageSeconds, 2 * 3600 + 61);
    assert.ok(members.members.includes(CHEF));
  });

  it('once slapd is back, the chef is allowed again', async () => {
    await slapd.restart();
    assert.equal(await ask(CHEF, CHEFS_56), 'DUNNO');
  });
});
