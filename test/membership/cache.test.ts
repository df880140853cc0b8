import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/config.js';
import { parseFilter } from '../../src/filter/index.js';
import { UnexpectedDirectoryError } from '../../src/membership/index.js';
import { backgroundDone, CHEFS_56, CHEFS_56_MEMBERS, DirectoryDownError, listOf, NoSuchBaseError, person, setup } from './helpers.js';

const chefs56 = listOf('liste.chefs-56@lists.example.org');
const TTL = chefs56.cacheTtlSeconds;
const newcomer = person('zoe', { title: 'chef', departmentNumber: '56', mail: 'zoe@example.org' });

describe('the members cache', () => {
  it("serves the members from the cache within the list's TTL, and from the directory after it", async () => {
    const { membership, directory, clock } = setup(CHEFS_56, { maxStaleSeconds: 0 });
    assert.equal(TTL, 3600, 'the liste family keeps members for an hour');
    await membership.expand(chefs56);
    clock.advance(TTL - 1);
    const cached = await membership.expand(chefs56);
    assert.equal(cached.fromCache, true);
    assert.equal(cached.stale, false);
    assert.equal(cached.ageSeconds, TTL - 1);
    assert.equal(directory.searches, 1);
    directory.entries = [...CHEFS_56, newcomer];
    clock.advance(1);
    const fresh = await membership.expand(chefs56);
    assert.equal(fresh.fromCache, false);
    assert.ok(fresh.members.includes('zoe@example.org'));
    assert.equal(directory.searches, 2);
  });

  it("takes the TTL from the list's definition, or the default when it has no usable one", async () => {
    const { membership, directory, clock } = setup(CHEFS_56, { maxStaleSeconds: 0, defaultTtlSeconds: 10 });
    const shortLived = { ...chefs56, cacheTtlSeconds: 60 };
    const unknownTtl = { ...listOf('liste.chefs-29@lists.example.org'), cacheTtlSeconds: Number.NaN };
    await membership.expand(shortLived);
    await membership.expand(unknownTtl);
    clock.advance(10);
    assert.equal((await membership.expand(shortLived)).fromCache, true);
    assert.equal((await membership.expand(unknownTtl)).fromCache, false);
    clock.advance(50);
    assert.equal((await membership.expand(shortLived)).fromCache, false);
    assert.equal(directory.searches, 4);
  });

  it('past the TTL, serves the cached members at once, marked stale, while one background search refreshes them', async () => {
    const { membership, directory, clock } = setup(CHEFS_56);
    await membership.expand(chefs56);
    directory.entries = [...CHEFS_56, newcomer];
    clock.advance(TTL + 5);
    const stale = await Promise.all(Array.from({ length: 5 }, () => membership.expand(chefs56)));
    for (const set of stale) {
      assert.deepEqual(set.members, CHEFS_56_MEMBERS);
      assert.equal(set.stale, true);
      assert.equal(set.fromCache, true);
      assert.equal(set.ageSeconds, TTL + 5);
    }
    await backgroundDone();
    assert.equal(directory.searches, 2, 'one refresh for five stale answers');
    const refreshed = await membership.expand(chefs56);
    assert.equal(refreshed.stale, false);
    assert.equal(refreshed.fromCache, true);
    assert.ok(refreshed.members.includes('zoe@example.org'));
  });

  it('coalesces: ten concurrent expansions make one search and share its answer', async () => {
    const { membership, directory } = setup(CHEFS_56);
    directory.hang();
    const calls = Array.from({ length: 10 }, () => membership.expand(chefs56));
    directory.release();
    const sets = await Promise.all(calls);
    assert.equal(directory.searches, 1);
    for (const set of sets) assert.equal(set.members, sets[0]?.members, 'the same array, not ten copies');
    assert.equal(membership.stats().misses, 10);
  });

  it('while the directory is down, serves the last members stale until maxStale old (and logs it), then its temporary error', async () => {
    const { membership, directory, clock, lines } = setup(CHEFS_56, { maxStaleSeconds: TTL + 600 });
    await membership.expand(chefs56);
    const outage = new DirectoryDownError('ldap://ldap.example.org: connection refused');
    directory.failWith(outage);
    clock.advance(TTL + 599);
    const stale = await membership.expand(chefs56);
    assert.deepEqual(stale.members, CHEFS_56_MEMBERS);
    assert.equal(stale.stale, true);
    await backgroundDone();
    const warning = lines.find((l) => l.msg === 'directory unavailable: serving stale members');
    assert.ok(warning, JSON.stringify(lines));
    assert.equal(warning.key, chefs56.address);
    assert.equal(warning.ageSeconds, TTL + 599);
    assert.equal(warning.maxStaleSeconds, TTL + 600);
    assert.deepEqual((await membership.expand(chefs56)).members, CHEFS_56_MEMBERS, 'the failed refresh kept the last members');
    clock.advance(1);
    await assert.rejects(membership.expand(chefs56), (e: unknown) => e === outage);
    await assert.rejects(membership.expand(chefs56), (e: unknown) => e === outage, 'still no empty list on the next call');
    const stats = membership.stats();
    assert.equal(stats.staleServed, 2);
    assert.equal(stats.errors, 3);
  });

  it('while the directory is down, tries it again at most every few seconds, not once per caller', async () => {
    const { membership, directory, clock } = setup(CHEFS_56);
    await membership.expand(chefs56);
    directory.failWith(new DirectoryDownError('down'));
    clock.advance(TTL);
    await membership.expand(chefs56);
    await backgroundDone();
    for (let i = 0; i < 5; i++) await membership.expand(chefs56);
    await backgroundDone();
    assert.equal(directory.searches, 2);
    clock.advance(5);
    await membership.expand(chefs56);
    await backgroundDone();
    assert.equal(directory.searches, 3);
  });

  it('a directory that hangs then fails: every waiting caller gets the error, none an empty list, and nothing is kept', async () => {
    const { membership, directory } = setup(CHEFS_56);
    directory.hang();
    directory.failWith(new DirectoryDownError('timeout'), 3);
    const calls = Array.from({ length: 5 }, () => membership.expand(chefs56));
    directory.release();
    for (const call of calls) await assert.rejects(call, DirectoryDownError);
    assert.equal(directory.searches, 1);
    directory.heal();
    assert.deepEqual((await membership.expand(chefs56)).members, CHEFS_56_MEMBERS);
    assert.equal(directory.searches, 2);
  });

  it('does not hide a permanent error behind stale members', async () => {
    const { membership, directory, clock, lines } = setup(CHEFS_56);
    const refused = new NoSuchBaseError('no such object: dc=example,dc=org');
    directory.failWith(refused);
    await assert.rejects(membership.expand(chefs56), (e: unknown) => e === refused);
    directory.heal();
    await membership.expand(chefs56);
    directory.failWith(refused);
    clock.advance(TTL);
    assert.equal((await membership.expand(chefs56)).stale, true, 'the first caller past the TTL cannot know yet');
    await backgroundDone();
    assert.ok(lines.some((l) => l.level === 50 && l.key === chefs56.address));
    await assert.rejects(membership.expand(chefs56), (e: unknown) => e === refused);
  });

  it('turns an untyped directory failure into a temporary error', async () => {
    const { membership, directory } = setup(CHEFS_56);
    directory.failWith(new TypeError('socket is undefined'));
    await assert.rejects(membership.expand(chefs56), (e: unknown) => {
      assert.ok(e instanceof UnexpectedDirectoryError);
      assert.equal(e.temporary, true);
      assert.equal(e.code, 'MEMBERSHIP_DIRECTORY_UNEXPECTED');
      assert.ok(e.cause instanceof TypeError);
      return true;
    });
  });

  it('forgets one list (by address), a family, or everything', async () => {
    const { membership, directory } = setup(CHEFS_56);
    const lists = [chefs56, listOf('liste.chefs-29@lists.example.org'), listOf('auto-cio.40@lists.example.org')];
    const searchesFor = async (): Promise<number> => {
      const before = directory.searches;
      for (const list of lists) await membership.expand(list);
      return directory.searches - before;
    };
    assert.equal(await searchesFor(), 3);
    assert.equal(await searchesFor(), 0);
    membership.invalidateList(' Liste.Chefs-56@Lists.Example.org ');
    assert.equal(await searchesFor(), 1);
    membership.invalidateFamily('liste');
    assert.equal(await searchesFor(), 2);
    membership.invalidateAll();
    assert.equal(await searchesFor(), 3);
  });

  it('does not keep the answer of a search under way when its list is forgotten', async () => {
    const { membership, directory } = setup(CHEFS_56);
    directory.hang();
    const running = membership.expand(chefs56);
    membership.invalidateList(chefs56.address);
    directory.release();
    assert.deepEqual((await running).members, CHEFS_56_MEMBERS, 'the caller that asked before still gets its answer');
    directory.entries = [...CHEFS_56, newcomer];
    assert.ok((await membership.expand(chefs56)).members.includes('zoe@example.org'));
    assert.equal(directory.searches, 2);
  });

  it('does not serve the members of an old charter: the filter is part of the key', async () => {
    const { membership, directory } = setup(CHEFS_56);
    await membership.expand(chefs56);
    const filterText = '(&(title=adjoint)(departmentNumber=56))';
    const redefined = { ...chefs56, filter: parseFilter(filterText), filterText };
    assert.deepEqual((await membership.expand(redefined)).members, ['gina@example.org']);
    assert.equal(directory.searches, 2);
  });

  it('is bounded by the members held across lists, not by a count of lists', async () => {
    const { membership, directory, lines } = setup(CHEFS_56, { maxMembersHeld: 6 });
    const chefs29 = listOf('liste.chefs-29@lists.example.org');
    const held = (): [number, number] => [membership.stats().listsHeld, membership.stats().membersHeld];
    await membership.expand(chefs56);
    assert.deepEqual(held(), [1, 4]);
    await membership.expand(chefs29);
    assert.deepEqual(held(), [1, 1], '4+1 and 1+1 do not fit in 6: the older list went');
    await membership.expand(chefs56);
    assert.equal(directory.searches, 3);

    const small = setup(CHEFS_56, { maxMembersHeld: 3 });
    assert.deepEqual((await small.membership.expand(chefs56)).members, CHEFS_56_MEMBERS, 'a list too big to cache is still expanded');
    await small.membership.expand(chefs56);
    assert.equal(small.directory.searches, 2);
    assert.equal(small.membership.stats().listsHeld, 0);
    assert.ok(small.lines.some((l) => l.msg === 'members too big to cache'));
    assert.equal(lines.length, 0);
  });

  it('counts hits, misses, stale answers, searches and errors', async () => {
    const { membership, directory, clock } = setup(CHEFS_56);
    await membership.expand(chefs56);
    await membership.expand(chefs56);
    clock.advance(TTL);
    directory.failWith(new DirectoryDownError('down'));
    await membership.expand(chefs56);
    await backgroundDone();
    assert.deepEqual(membership.stats(), { hits: 1, misses: 1, staleServed: 1, searches: 2, errors: 1, listsHeld: 1, membersHeld: 4, sendersHeld: 0 });
  });

  it('refuses options out of range with one configuration error naming each', () => {
    assert.throws(
      () => setup([], { maxMembersHeld: 0, maxStaleSeconds: -1, senderTtlSeconds: Number.NaN, maxSendersHeld: 2.5 }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.problems.length, 4);
        assert.match(e.message, /maxMembersHeld=0/);
        return true;
      },
    );
  });
});
