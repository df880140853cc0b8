import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateDirectory } from '../fixtures/generate-directory.js';
import { BACKENDS, backend, fixtureDirectory, listOf, rightsOver } from './helpers.js';

const fixture = fixtureDirectory();

for (const kind of BACKENDS) {
  describe(`directory lookups of rights, ${kind} directory`, () => {
    const opened = backend(kind, fixture.ldif);
    const national = (): ReturnType<typeof listOf> => listOf('liste.personnels-national');

    it('answers "is the sender a member" of a list of every person with one targeted search, not an expansion', async () => {
      const { membership, counting } = rightsOver(opened.directory);
      const list = national();
      assert.equal(await membership.isMember(list, 'Gendarme.Bretagne+x@example.org'), true);
      assert.equal(counting.searches, 1);
      assert.equal(counting.entries, 1, "the sender's own entry, not the 2,000 members");
      const [request] = counting.requests;
      assert.equal(request?.filter.toString(), '(&(objectClass=inetOrgPerson)(|(mail=gendarme.bretagne@example.org)(mailLocalAddress=gendarme.bretagne@example.org)))');
      assert.deepEqual(request?.attributes, ['mail']);

      counting.reset();
      assert.equal(await membership.isMember(list, 'jean.chef@example.org'), true, 'an alternate address of a member');
      assert.equal(await membership.isMember(list, 'inconnu@example.org'), false);
      assert.equal(await membership.isMember(list, 'plongeur.sansmail@example.org'), false);
      assert.equal(counting.searches, 3);
      assert.equal(counting.entries, 1);
    });

    it('uses the members already held instead, without any search', async () => {
      const { membership, counting } = rightsOver(opened.directory);
      const list = national();
      const { members } = await membership.expand(list);
      assert.ok(members.length > 1900, `${members.length} members`);
      counting.reset();
      assert.equal(await membership.isMember(list, 'gendarme.bretagne@example.org'), true);
      assert.equal(await membership.isMember(list, 'inconnu@example.org'), false, 'no such person: one sender lookup for the alternates');
      assert.equal(await membership.isMember(list, 'inconnu@example.org'), false);
      assert.equal(counting.searches, 1);
    });

    it("makes at most one sender lookup per decision when every sender is new (liste: the sender's entry only)", async () => {
      const { rights, counting } = rightsOver(opened.directory);
      const senders = ['chef.bretagne@example.org', 'gendarme.bretagne@example.org', 'jean.chef@example.org', 'inconnu@example.org'];
      // Persons of the fixture, by their mail or their alternate address.
      for (const entry of [...generateDirectory({ persons: 2000, seed: 1 })].slice(200, 260)) {
        const addresses = entry.attributes.filter(([name]) => name === 'mail' || name === 'mailLocalAddress').flatMap(([, values]) => values);
        senders.push(...addresses.slice(-1));
      }
      const outcomes = { allow: 0, deny: 0, defer: 0, pending: 0, moderate: 0 };
      for (const sender of senders) outcomes[(await rights.decide(national(), 'send', sender)).decision]++;
      assert.equal(counting.searches, senders.length);
      assert.ok(outcomes.allow >= 5 && outcomes.deny >= 20 && outcomes.defer === 0, JSON.stringify(outcomes));
      for (const request of counting.requests) assert.match(request.filter.toString(), /^\(\|\(mail=[^)]+\)\(mailLocalAddress=[^)]+\)\)$/);
    });

    it('decides "member" on a list with one targeted search', async () => {
      const { rights, counting } = rightsOver(opened.directory);
      assert.equal((await rights.decide(listOf('equipe-56'), 'review', 'gendarme.bretagne@example.org')).decision, 'allow');
      assert.equal((await rights.decide(listOf('equipe-29'), 'review', 'gendarme.bretagne@example.org')).decision, 'deny');
      assert.equal(counting.searches, 2);
      assert.equal(counting.entries, 1);
    });
  });
}
