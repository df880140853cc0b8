import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Attribute, Change, Client } from 'ldapts';
import { DirectoryBadCredentialsError, LdapDirectory } from '../../src/directory/index.js';
import type { ListDefinition } from '../../src/charter/list.js';
import { Resolver } from '../../src/charter/resolver.js';
import { backend, D, fixtureDirectory, listOf, resolver, rightsOver } from './helpers.js';

const fixture = fixtureDirectory();
const TTL = 30;

/** A clock moved by hand, shared by the decisions cache and the membership caches. */
function testClock(): { now: () => number; advance(ms: number): void } {
  let now = 1_000_000;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** Just past the TTL. */
const EXPIRED = TTL * 1000 + 1;

/** Rights whose caches all keep things TTL seconds, on a clock the test moves. */
function cachedRights(directory: Parameters<typeof rightsOver>[0], maxEntries?: number): ReturnType<typeof rightsOver> & { clock: ReturnType<typeof testClock> } {
  const clock = testClock();
  const rights = { ttlSeconds: TTL, now: clock.now, ...(maxEntries === undefined ? {} : { maxEntries }) };
  return { ...rightsOver(directory, { membership: { senderTtlSeconds: TTL, defaultTtlSeconds: TTL, now: clock.now }, rights }), clock };
}

describe('the decisions cache', () => {
  const opened = backend('slapd', fixture.ldif);
  const national = (): ReturnType<typeof listOf> => listOf('liste.personnels-national');

  /** Replaces attributes of a person of the slapd directory. */
  async function modify(uid: string, changes: Record<string, string>): Promise<void> {
    const client = new Client({ url: opened.slapd?.url ?? '' });
    try {
      await client.bind(opened.slapd?.bindDN ?? '', opened.slapd?.password ?? '');
      const modifications = Object.entries(changes).map(([type, value]) => new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) }));
      await client.modify(`uid=${uid},ou=people,dc=example,dc=org`, modifications);
    } finally {
      await client.unbind();
    }
  }

  it('reuses a decision for its TTL, then asks the directory again', async () => {
    const { rights, counting, clock } = cachedRights(opened.directory);
    const first = await rights.decide(national(), 'send', 'chef.bretagne@example.org');
    clock.advance(TTL * 1000);
    assert.equal(await rights.decide(national(), 'send', 'Chef.Bretagne+x@example.org'), first);
    assert.equal(counting.searches, 1);
    clock.advance(1);
    const again = await rights.decide(national(), 'send', 'chef.bretagne@example.org');
    assert.notEqual(again, first);
    assert.deepEqual(again, first);
    assert.equal(counting.searches, 2);
  });

  it('keys decisions by list, action, sender and context: each is decided on its own', async () => {
    const { rights } = cachedRights(opened.directory);
    const equipe = listOf('equipe-56');
    assert.equal((await rights.decide(equipe, 'send', 'gendarme.bretagne@example.org')).decision, 'deny');
    assert.equal((await rights.decide(equipe, 'send', 'gendarme.bretagne@example.org', { dkim: 'pass' })).decision, 'allow');
    assert.equal((await rights.decide(equipe, 'send', 'gendarme.bretagne@example.org', { spf: 'pass' })).decision, 'allow');
    assert.equal(
      (await rights.decide(equipe, 'send', 'gendarme.bretagne@example.org', { dkim: 'PASS ' })).rule,
      (await rights.decide(equipe, 'send', 'gendarme.bretagne@example.org', { dkim: 'pass' })).rule,
    );
    assert.equal((await rights.decide(equipe, 'review', 'gendarme.bretagne@example.org')).decision, 'allow');
    assert.equal((await rights.decide(listOf('equipe-29'), 'review', 'gendarme.bretagne@example.org')).decision, 'deny');
    assert.deepEqual(rights.counters(), { decisions: 7, cached: 2, allow: 5, deny: 2, defer: 0, pending: 0, moderate: 0 });
  });

  it('shares decisions between equal definitions of a list, never with a changed one (family reloaded)', async () => {
    const { rights } = cachedRights(opened.directory);
    const fresh = new Resolver(resolver.families, { cacheEntries: 0 });
    const sender = 'chef.bretagne@example.org';
    const list = fresh.resolve(`liste.chefs-56${D}`);
    assert.equal((await rights.decide(list, 'send', sender)).decision, 'allow');
    const again = fresh.resolve(`liste.chefs-56${D}`);
    assert.notEqual(again, list);
    assert.equal((await rights.decide(again, 'send', sender)).decision, 'allow');
    assert.equal(rights.counters().cached, 1);
    const closed: ListDefinition = { ...again, rights: { ...again.rights, send: { rules: [], otherwise: 'deny', closed: true } } };
    assert.equal((await rights.decide(closed, 'send', sender)).rule, 'closed');
    const narrower: ListDefinition = { ...again, filterText: '(&(title=chef)(departmentNumber=29))' };
    await rights.decide(narrower, 'send', sender);
    assert.equal(rights.counters().cached, 1);
  });

  it("shows a change of the sender's entry within the TTL", async () => {
    const { rights, clock } = cachedRights(opened.directory);
    const sender = 'gendarme.bretagne@example.org';
    assert.equal((await rights.decide(national(), 'send', sender)).decision, 'deny');
    await modify('gendarme.bretagne', { title: 'Chef' });
    try {
      clock.advance(EXPIRED);
      const promoted = await rights.decide(national(), 'send', sender);
      assert.equal(promoted.decision, 'allow', JSON.stringify(promoted));
      assert.ok(promoted.reasons.some((r) => /title vaut Chef/.test(r)));
    } finally {
      await modify('gendarme.bretagne', { title: 'gendarme' });
    }
    clock.advance(EXPIRED);
    assert.equal((await rights.decide(national(), 'send', sender)).decision, 'deny');
  });

  it("shows a change of the list's members within the TTL", async () => {
    const { rights, clock } = cachedRights(opened.directory);
    const [in56, in29] = [listOf('equipe-56'), listOf('equipe-29')];
    const sender = 'gendarme.bretagne@example.org';
    assert.equal((await rights.decide(in56, 'review', sender)).decision, 'allow');
    assert.equal((await rights.decide(in29, 'review', sender)).decision, 'deny');
    await modify('gendarme.bretagne', { departmentNumber: '29' });
    try {
      clock.advance(EXPIRED);
      assert.equal((await rights.decide(in56, 'review', sender)).decision, 'deny');
      assert.equal((await rights.decide(in29, 'review', sender)).decision, 'allow');
    } finally {
      await modify('gendarme.bretagne', { departmentNumber: '56' });
    }
  });

  it("answers from a list's held members until they expire (the family's cache-ttl), then sees the change", async () => {
    const { rights, membership, counting, clock } = cachedRights(opened.directory);
    const in29 = listOf('equipe-29');
    const sender = 'gendarme.bretagne@example.org';
    await membership.expand(in29);
    counting.reset();
    assert.equal((await rights.decide(in29, 'review', sender)).decision, 'deny');
    assert.equal(counting.searches, 0, 'from the held members');
    await modify('gendarme.bretagne', { departmentNumber: '29' });
    try {
      clock.advance(in29.cacheTtlSeconds * 1000 + 1);
      assert.equal((await rights.decide(in29, 'review', sender)).decision, 'allow');
    } finally {
      await modify('gendarme.bretagne', { departmentNumber: '56' });
    }
  });

  it("shows a change within the decisions' TTL even where the sender's entry and the members are held longer", async () => {
    const clock = testClock();
    const membership = { senderTtlSeconds: 10 * TTL, defaultTtlSeconds: 100 * TTL, now: clock.now };
    const { rights, membership: held, counting } = rightsOver(opened.directory, { membership, rights: { ttlSeconds: TTL, now: clock.now } });
    const in29 = listOf('equipe-29');
    const sender = 'gendarme.bretagne@example.org';
    await held.expand(in29);
    assert.equal((await rights.decide(national(), 'send', sender)).decision, 'deny');
    assert.equal((await rights.decide(in29, 'review', sender)).decision, 'deny');
    await modify('gendarme.bretagne', { title: 'Chef', departmentNumber: '29' });
    try {
      clock.advance(TTL * 1000 - 1);
      assert.equal((await rights.decide(national(), 'send', sender)).decision, 'deny', 'still the decision made');
      clock.advance(2);
      counting.reset();
      assert.equal((await rights.decide(national(), 'send', sender)).decision, 'allow');
      assert.equal((await rights.decide(in29, 'review', sender)).decision, 'allow');
      assert.ok(counting.searches <= 2, 'the sender looked up again, one targeted membership search: no expansion');
    } finally {
      await modify('gendarme.bretagne', { title: 'gendarme', departmentNumber: '56' });
    }
  });

  it('forgets the decisions of one list, or all of them, on demand', async () => {
    const { rights, counting } = cachedRights(opened.directory);
    const [national56, chefs56] = [national(), listOf('liste.chefs-56')];
    await rights.decide(national56, 'send', 'chef.bretagne@example.org');
    await rights.decide(chefs56, 'send', 'chef.bretagne@example.org');
    rights.invalidate(chefs56.address);
    await rights.decide(national56, 'send', 'chef.bretagne@example.org');
    await rights.decide(chefs56, 'send', 'chef.bretagne@example.org');
    assert.equal(rights.counters().cached, 1);
    rights.invalidate();
    await rights.decide(national56, 'send', 'chef.bretagne@example.org');
    assert.equal(rights.counters().cached, 1);
    assert.equal(counting.searches, 1, "the sender's entry stays cached in Membership for its own TTL");
  });

  it('holds at most maxEntries decisions, and hands out decisions nobody can change', async () => {
    const { rights } = cachedRights(opened.directory, 2);
    const senders = ['chef.bretagne@example.org', 'gendarme.bretagne@example.org', 'chef.capital@example.org'];
    for (const sender of senders) await rights.decide(national(), 'send', sender);
    const again = await rights.decide(national(), 'send', senders[0] as string);
    assert.equal(rights.counters().cached, 0, 'the oldest decision was dropped');
    assert.ok(Object.isFrozen(again) && Object.isFrozen(again.reasons));
  });

  it('throws a lasting directory error (bad credentials) instead of deferring or denying', async () => {
    const slapd = opened.slapd;
    assert.ok(slapd);
    const refused = new LdapDirectory({ urls: [slapd.url], bindDN: slapd.bindDN, bindPassword: 'wrong', connectTimeoutMs: 2000, timeoutMs: 10_000 });
    try {
      const { rights } = cachedRights(refused);
      await assert.rejects(rights.decide(national(), 'send', 'chef.bretagne@example.org'), DirectoryBadCredentialsError);
      assert.equal(rights.counters().defer, 0);
    } finally {
      await refused.close();
    }
  });
});
