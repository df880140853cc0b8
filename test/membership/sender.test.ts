import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHEFS_56, DirectoryDownError, listOf, person, setup } from './helpers.js';

const chefs56 = listOf('liste.chefs-56@lists.example.org');
const settings = chefs56.directory;

describe('finding a sender', () => {
  it('finds the entry by its member address, whatever the case and subaddress, in one escaped OR search', async () => {
    const { membership, directory } = setup(CHEFS_56);
    const entry = await membership.findSender('<Alice+Lists@EXAMPLE.org>', settings);
    assert.equal(entry?.dn, 'uid=alice,ou=people,dc=example,dc=org');
    assert.deepEqual(entry?.attributes.title, ['chef'], 'every attribute, for the rights filters');
    const [request] = directory.requests;
    assert.equal(request?.filter.toString(), '(|(mail=alice@example.org)(mailLocalAddress=alice@example.org))');
    assert.equal(request?.base, settings.base);
    assert.equal(request?.scope, settings.scope);
    assert.deepEqual(request?.attributes, []);
  });

  it('finds the entry by an alternate address', async () => {
    const { membership } = setup(CHEFS_56);
    assert.equal((await membership.findSender('Robert@example.org', settings))?.dn, 'uid=bob,ou=people,dc=example,dc=org');
  });

  it('returns null for an empty or unparsable sender without asking the directory', async () => {
    const { membership, directory } = setup(CHEFS_56);
    for (const sender of ['', '<>', 'nobody']) assert.equal(await membership.findSender(sender, settings), null);
    assert.equal(directory.searches, 0);
  });

  it('sends hostile text as escaped values, never as filter syntax', async () => {
    const { membership, directory } = setup([...CHEFS_56, person('jose', { mail: 'jösé@exämple.org' })]);
    assert.equal(await membership.findSender('*)(uid=*@example.org', settings), null);
    assert.equal(await membership.findSender('a\0b)(mail=*@example.org', settings), null);
    assert.equal((await membership.findSender('JÖSÉ@EXÄMPLE.org', settings))?.dn, 'uid=jose,ou=people,dc=example,dc=org');
    assert.deepEqual(
      directory.requests.map((r) => r.filter.toString()),
      [
        '(|(mail=\\2a\\29\\28uid=\\2a@example.org)(mailLocalAddress=\\2a\\29\\28uid=\\2a@example.org))',
        '(|(mail=a\\00b\\29\\28mail=\\2a@example.org)(mailLocalAddress=a\\00b\\29\\28mail=\\2a@example.org))',
        '(|(mail=jösé@exämple.org)(mailLocalAddress=jösé@exämple.org))',
      ],
    );
  });

  it('caches answers, the negative ones too, for the sender TTL, and coalesces concurrent lookups', async () => {
    const { membership, directory, clock } = setup(CHEFS_56, { senderTtlSeconds: 60, maxStaleSeconds: 0 });
    await Promise.all(Array.from({ length: 10 }, () => membership.findSender('alice@example.org', settings)));
    assert.equal(directory.searches, 1);
    await membership.findSender('ALICE@example.org', settings);
    assert.equal(await membership.findSender('stranger@example.org', settings), null);
    assert.equal(await membership.findSender('stranger@example.org', settings), null);
    assert.equal(directory.searches, 2);
    await membership.findSender('alice@example.org', { ...settings, base: 'ou=other,dc=example,dc=org' });
    assert.equal(directory.searches, 3, 'another base is another question');
    clock.advance(60);
    await membership.findSender('alice@example.org', settings);
    assert.equal(directory.searches, 4);
    assert.equal(membership.stats().sendersHeld, 3);
  });

  it('while the directory is down, serves a held entry stale, but never one older than the maxAgeMs a decision asks for', async () => {
    const { membership, directory, clock } = setup(CHEFS_56, { senderTtlSeconds: 30, maxStaleSeconds: 24 * 3600 });
    await membership.senderEntry('alice@example.org', settings);
    directory.failWith(new DirectoryDownError('down'));
    clock.advance(61);
    assert.ok((await membership.findSender('alice@example.org', settings)) !== null, 'stale, for callers that accept it');
    await assert.rejects(membership.senderEntry('alice@example.org', settings, 30_000), DirectoryDownError);
    assert.ok((await membership.findSender('alice@example.org', settings)) !== null, 'still held');
  });

  it('propagates a directory failure when nothing is cached', async () => {
    const { membership, directory } = setup(CHEFS_56);
    directory.failWith(new DirectoryDownError('down'));
    await assert.rejects(membership.findSender('alice@example.org', settings), DirectoryDownError);
  });
});

describe('isMember', () => {
  it('without cached members: one targeted search, the list filter AND the sender, never an expansion', async () => {
    const { membership, directory } = setup(CHEFS_56);
    assert.equal(await membership.isMember(chefs56, 'Bob+x@Example.org'), true);
    assert.equal(await membership.isMember(chefs56, 'robert@example.org'), true, 'an alternate address');
    assert.equal(await membership.isMember(chefs56, 'frank@example.org'), false, 'a chef, but of 29');
    assert.equal(await membership.isMember(chefs56, 'nobody@example.org'), false);
    assert.equal(directory.searches, 4);
    assert.equal(directory.requests[0]?.filter.toString(), '(&(&(title=chef)(departmentNumber=56))(|(mail=bob@example.org)(mailLocalAddress=bob@example.org)))');
    assert.deepEqual(directory.requests[0]?.attributes, ['mail']);
    assert.equal(membership.stats().listsHeld, 0, 'no expansion was made');
  });

  it('an entry of the list without a member address is not a member (it is unreachable)', async () => {
    const { membership } = setup([...CHEFS_56, person('hal', { title: 'chef', departmentNumber: '56', mailLocalAddress: 'hal@example.org' })]);
    assert.equal(await membership.isMember(chefs56, 'hal@example.org'), false);
    await membership.expand(chefs56);
    assert.equal(await membership.isMember(chefs56, 'hal@example.org'), false, 'the same answer from the cache');
  });

  it('with cached members: answers from them, with one sender lookup only for an address not in the list', async () => {
    const { membership, directory } = setup(CHEFS_56);
    await membership.expand(chefs56);
    assert.equal(await membership.isMember(chefs56, 'C.Durand@example.org'), true);
    assert.equal(directory.searches, 1, 'no search for a listed address');
    assert.equal(await membership.isMember(chefs56, 'robert@example.org'), true, "bob's alternate address");
    assert.equal(await membership.isMember(chefs56, 'frank@example.org'), false);
    assert.equal(directory.searches, 3, 'one sender lookup each, no expansion');
    assert.ok(directory.requests.slice(1).every((r) => r.filter.toString().startsWith('(|(mail=')));
    assert.equal(await membership.isMember(chefs56, 'robert@example.org'), true);
    assert.equal(directory.searches, 3, 'the sender lookup is cached too');
  });

  it('without alternate addresses, an address not in the cached members is no member, with no search', async () => {
    const { membership, directory } = setup(CHEFS_56);
    const mailOnly = { ...chefs56, directory: { ...settings, alternateAddressAttributes: [] } };
    await membership.expand(mailOnly);
    assert.equal(await membership.isMember(mailOnly, 'robert@example.org'), false);
    assert.equal(directory.searches, 1);
  });

  it('an empty sender is nobody: false, with no search; a directory down is an error, not a no', async () => {
    const { membership, directory } = setup(CHEFS_56);
    assert.equal(await membership.isMember(chefs56, '<>'), false);
    assert.equal(directory.searches, 0);
    directory.failWith(new DirectoryDownError('down'));
    await assert.rejects(membership.isMember(chefs56, 'alice@example.org'), DirectoryDownError);
  });
});
