/**
 * `member` and `member of` conditions find a member written `Jean.Dupont@Example.org` in the
 * directory when he writes as jean.dupont@example.org (or any case): from a targeted search, and
 * from the list's held members. Both directories, over the same LDIF.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JEAN_DUPONT_LDIF } from '../membership/helpers.js';
import { BACKENDS, backend, listOf, rightsOver } from './helpers.js';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'autolist-rights-case-'));
  writeFileSync(join(dir, 'directory.ldif'), JEAN_DUPONT_LDIF);
});
after(() => rmSync(dir, { recursive: true, force: true }));

for (const kind of BACKENDS) {
  describe(`member checks without case: ${kind}`, () => {
    const opened = backend(kind, () => join(dir, 'directory.ldif'));
    const equipe56 = listOf('equipe-56');

    it('allows jean.dupont@example.org to review equipe-56 (member) and to send to it (member of liste.chefs-56), by targeted searches', async () => {
      const { rights, counting } = rightsOver(opened.directory);
      for (const sender of ['jean.dupont@example.org', 'JEAN.DUPONT@EXAMPLE.ORG']) {
        assert.equal((await rights.decide(equipe56, 'review', sender)).decision, 'allow', `${sender} reviews`);
      }
      const send = await rights.decide(equipe56, 'send', 'jean.dupont@example.org');
      assert.equal(send.decision, 'allow');
      assert.ok(
        send.reasons.some((r) => /jean\.dupont@example\.org is a member of liste\.chefs-56@lists\.example\.org/.test(r)),
        send.reasons.join('\n'),
      );
      assert.ok(counting.searches > 0);
      assert.equal((await rights.decide(equipe56, 'review', 'paul.leroy@example.org')).decision, 'deny', 'a person of 29 is no member of equipe-56');
    });

    it('allows him from the held members, without a membership search', async () => {
      const { rights, membership, counting } = rightsOver(opened.directory);
      await membership.expand(equipe56);
      await membership.findSender('jean.dupont@example.org', equipe56.directory);
      counting.reset();
      assert.equal((await rights.decide(equipe56, 'review', 'jean.dupont@example.org')).decision, 'allow');
      assert.equal(counting.searches, 0, 'the members and the sender were held');
    });
  });
}
