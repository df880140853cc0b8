import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadCursorError, BadPageLimitError, MAX_PAGE_LIMIT } from '../../src/membership/index.js';
import { CHEFS_56, CHEFS_56_MEMBERS, DirectoryDownError, listOf, person, setup } from './helpers.js';

const chefs56 = listOf('liste.chefs-56@lists.example.org');

describe('expanding a list', () => {
  it('keeps the member attribute of each matching entry as written (domain in lower case), trimmed, distinct without case, sorted without case', async () => {
    const { membership, clock } = setup(CHEFS_56);
    const set = await membership.expand(chefs56);
    assert.deepEqual(set.members, CHEFS_56_MEMBERS);
    assert.equal(set.entries, 6, 'the six chefs of 56, not the chef of 29 nor the adjoint');
    assert.equal(set.unreachable, 2, 'dave has no mail, erin a blank one');
    assert.equal(set.fromCache, false);
    assert.equal(set.stale, false);
    assert.equal(set.ageSeconds, 0);
    assert.equal(set.fetchedAt.getTime(), clock.ms);
    assert.ok(Object.isFrozen(set.members), 'callers cannot change the cached members');
  });

  it("asks the directory once, with the list's filter, base, scope and only the member attribute", async () => {
    const { membership, directory } = setup(CHEFS_56);
    await membership.expand(chefs56);
    assert.equal(directory.searches, 1);
    const [request] = directory.requests;
    assert.equal(request?.filter.toString(), '(&(title=chef)(departmentNumber=56))');
    assert.equal(request?.base, 'dc=example,dc=org');
    assert.equal(request?.scope, 'sub');
    assert.deepEqual(request?.attributes, ['mail']);
  });

  it('never yields a partial list: a search failing midway throws, and nothing is kept', async () => {
    const { membership, directory } = setup(CHEFS_56);
    directory.failWith(new DirectoryDownError('connection reset'), 2);
    await assert.rejects(membership.expand(chefs56), DirectoryDownError);
    const streamed: string[] = [];
    await assert.rejects(async () => {
      for await (const member of membership.stream(chefs56)) streamed.push(member);
    }, DirectoryDownError);
    assert.deepEqual(streamed, [], 'the stream yields nothing before the whole search succeeded');
    directory.heal();
    assert.deepEqual((await membership.expand(chefs56)).members, CHEFS_56_MEMBERS);
    assert.equal(directory.searches, 3);
  });

  it('tells the caller that started the search the entries read so far; not a caller that joined it, nor one served from the cache', async () => {
    const { membership, directory } = setup(CHEFS_56);
    const started: number[] = [];
    const joined: number[] = [];
    directory.hang();
    const first = membership.expand(chefs56, { onProgress: (n) => started.push(n) });
    const second = membership.expand(chefs56, { onProgress: (n) => joined.push(n) });
    directory.release();
    await Promise.all([first, second]);
    assert.equal(directory.searches, 1);
    assert.deepEqual(started, [1, 2, 3, 4, 5, 6], 'once per entry, the six chefs of 56');
    assert.deepEqual(joined, []);
    const cached: number[] = [];
    assert.equal((await membership.expand(chefs56, { onProgress: (n) => cached.push(n) })).fromCache, true);
    assert.deepEqual(cached, []);
  });

  it('streams the members in order', async () => {
    const { membership } = setup(CHEFS_56);
    const streamed: string[] = [];
    for await (const member of membership.stream(chefs56)) streamed.push(member);
    assert.deepEqual(streamed, CHEFS_56_MEMBERS);
  });
});

describe('paging', () => {
  const many = Array.from({ length: 7 }, (_, i) => person(`p${i}`, { title: 'chef', departmentNumber: '56', mail: `P${i}@example.org` }));

  it('gives every member once, in order, with the total and a cursor until the last page (members keep their case)', async () => {
    const { membership, directory } = setup(many);
    const first = await membership.page(chefs56, { limit: 3 });
    assert.equal(first.total, 7);
    assert.deepEqual(first.members, ['P0@example.org', 'P1@example.org', 'P2@example.org']);
    assert.equal(typeof first.nextCursor, 'string');
    const second = await membership.page(chefs56, { limit: 3, cursor: first.nextCursor ?? '' });
    assert.deepEqual(second.members, ['P3@example.org', 'P4@example.org', 'P5@example.org']);
    const last = await membership.page(chefs56, { limit: 3, cursor: second.nextCursor ?? '' });
    assert.deepEqual(last.members, ['P6@example.org']);
    assert.equal(last.nextCursor, null);
    const exact = await membership.page(chefs56, { limit: 7 });
    assert.equal(exact.nextCursor, null, 'no cursor to an empty page');
    assert.equal(directory.searches, 1, 'pages come from the cached expansion');
  });

  it('continues after the last member given when the list changed between pages', async () => {
    const { membership, directory } = setup(many);
    const first = await membership.page(chefs56, { limit: 3 });
    directory.entries = [person('early', { title: 'chef', departmentNumber: '56', mail: 'a-new@example.org' }), ...many.filter((p) => p.attributes.uid?.[0] !== 'p3')];
    membership.invalidateList(chefs56.address);
    const second = await membership.page(chefs56, { limit: 3, cursor: first.nextCursor ?? '' });
    assert.equal(second.total, 7);
    assert.deepEqual(second.members, ['P4@example.org', 'P5@example.org', 'P6@example.org']);
    assert.equal(second.nextCursor, null);
  });

  it('an empty list is one empty page', async () => {
    const { membership } = setup([]);
    assert.deepEqual(await membership.page(chefs56, { limit: 10 }), { total: 0, members: [], nextCursor: null });
  });

  it('refuses a bad cursor or limit with a typed error, before asking the directory', async () => {
    const { membership, directory } = setup(many);
    const cursors = [
      '',
      'not a cursor!',
      Buffer.from('not json').toString('base64url'),
      Buffer.from('{"l":1,"a":"x"}').toString('base64url'),
      Buffer.from('[]').toString('base64url'),
      'A'.repeat(100_000),
    ];
    for (const cursor of cursors) {
      await assert.rejects(membership.page(chefs56, { limit: 3, cursor }), (e: unknown) => {
        assert.ok(e instanceof BadCursorError, cursor);
        assert.equal(e.code, 'MEMBERSHIP_BAD_CURSOR');
        assert.equal(e.temporary, false);
        return true;
      });
    }
    for (const limit of [0, -1, 1.5, Number.NaN, MAX_PAGE_LIMIT + 1]) {
      await assert.rejects(membership.page(chefs56, { limit }), (e: unknown) => e instanceof BadPageLimitError && e.code === 'MEMBERSHIP_BAD_LIMIT');
    }
    assert.equal(directory.searches, 0);
  });

  it("refuses another list's cursor", async () => {
    const chefs29 = many.map((_, i) => person(`q${i}`, { title: 'chef', departmentNumber: '29', mail: `q${i}@example.org` }));
    const { membership } = setup([...many, ...chefs29]);
    const of29 = await membership.page(listOf('liste.chefs-29@lists.example.org'), { limit: 2 });
    assert.ok(of29.nextCursor);
    await assert.rejects(membership.page(chefs56, { limit: 2, cursor: of29.nextCursor }), /belongs to another list/);
  });
});
