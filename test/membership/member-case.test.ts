/**
 * A member address keeps the case the directory writes it in (its domain in lower case), and is
 * compared without case: the same expectations of the embedded directory and of a real slapd
 * loaded with the same LDIF.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Directory } from '../../src/directory/directory.js';
import { EmbeddedDirectory } from '../../src/directory/embedded/index.js';
import { Slapd } from '../harness/slapd.js';
import { ldapOf, membershipOf } from '../directory/helpers.js';
import { CHEFS_56, JEAN_DUPONT_LDIF, JEAN_DUPONT_MEMBERS, listOf, setup } from './helpers.js';

const chefs56 = listOf('liste.chefs-56@lists.example.org');

function caseTests(directoryOf: () => Directory): void {
  it('lists Jean.Dupont@Example.org as Jean.Dupont@example.org, sorted without case', async () => {
    const set = await membershipOf(directoryOf()).expand(chefs56);
    assert.deepEqual(set.members, JEAN_DUPONT_MEMBERS);
  });

  it('finds the member with jean.dupont@example.org (or any case), by a targeted search and from held members', async () => {
    const targeted = membershipOf(directoryOf());
    for (const asked of ['jean.dupont@example.org', 'JEAN.DUPONT@EXAMPLE.ORG', 'Jean.Dupont@Example.org']) {
      assert.equal(await targeted.isMember(chefs56, asked), true, `${asked}, targeted`);
    }
    assert.equal(await targeted.isMember(chefs56, 'paul.leroy@example.org'), false, 'a chef of 29 is no member');
    const held = membershipOf(directoryOf());
    await held.expand(chefs56);
    const stats = held.stats();
    assert.equal(await held.isMember(chefs56, 'jean.dupont@example.org'), true, 'from the held members');
    assert.equal(held.stats().searches, stats.searches, 'answered without a search');
    assert.equal((await held.findSender('jean.dupont@example.org', chefs56.directory))?.dn, 'uid=jean.dupont,ou=people,dc=example,dc=org');
  });

  it('pages across the case: the cursor after anne.martin leads to Jean.Dupont, then ends', async () => {
    const membership = membershipOf(directoryOf());
    const first = await membership.page(chefs56, { limit: 1 });
    assert.deepEqual(first.members, ['anne.martin@example.org']);
    const second = await membership.page(chefs56, { limit: 1, cursor: first.nextCursor ?? '' });
    assert.deepEqual(second.members, ['Jean.Dupont@example.org']);
    assert.equal(second.nextCursor, null);
  });
}

describe('member addresses keep their case: embedded directory', () => {
  const directory = EmbeddedDirectory.fromLdif(JEAN_DUPONT_LDIF);
  caseTests(() => directory);
});

describe('member addresses keep their case: slapd', () => {
  let slapd: Slapd;
  let dir: string;
  const opened: Directory[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-case-'));
    writeFileSync(join(dir, 'directory.ldif'), JEAN_DUPONT_LDIF);
    slapd = await Slapd.start({ ldif: join(dir, 'directory.ldif') });
  });
  after(async () => {
    await Promise.all(opened.map((d) => d.close()));
    await slapd.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  caseTests(() => {
    const directory = ldapOf(slapd);
    opened.push(directory);
    return directory;
  });
});

describe('member addresses differing only in case', () => {
  it('are one member, written the same way whatever order the directory answers in', async () => {
    const [first, second] = [setup(CHEFS_56), setup([...CHEFS_56].reverse())];
    assert.deepEqual((await first.membership.expand(chefs56)).members, (await second.membership.expand(chefs56)).members);
    assert.deepEqual(
      (await first.membership.expand(chefs56)).members.filter((m) => m.toLowerCase() === 'alice@example.org'),
      ['Alice@example.org'],
    );
  });
});
