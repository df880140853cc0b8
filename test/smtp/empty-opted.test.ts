/**
 * A list is empty, and refused at RCPT (550 5.2.1), when nobody would receive its mail as delivery
 * counts members: the directory's less those who unsubscribed, plus those who subscribed whom the
 * subscribe rules still admit. Over the SMTP front and the demo directory (embedded), with the test
 * family equipe, its départements widened to 96..99, which nobody of the directory is in.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ListDefinition } from '../../src/charter/list.js';
import { familiesWith } from '../harness/families.js';
import { CHEF, demoAddresses, type Front, startFront, swaks } from './helpers.js';

/** A list nobody of the directory is on. */
const NOBODYS = 'equipe-96@lists.example.org';
/** A list of 17 people of the directory, every one of whom unsubscribes. */
const SMALL = 'equipe-66@lists.example.org';
const person = (a: Map<string, string[]>): boolean => (a.get('objectclass') ?? []).some((c) => c.toLowerCase() === 'inetorgperson');
const department = (a: Map<string, string[]>): string => (a.get('departmentnumber')?.[0] ?? '').toLowerCase();
const SMALL_MEMBERS = demoAddresses((a) => person(a) && department(a) === '66');
/** Someone of the directory, not civil, whom equipe's subscribe rules admit anywhere. */
const [JOINER] = demoAddresses((a) => person(a) && department(a) === '56' && (a.get('employeetype')?.[0] ?? '') === 'militaire') as [string];

describe('the empty-list refusal counts members as delivery does (exclusions and additions)', () => {
  let families: ReturnType<typeof familiesWith>;
  let smtp: Front;
  let port: number;
  const resolve = (address: string): ListDefinition => smtp.services.catalog.resolver.resolve(address);
  const rcpt = async (to: string): Promise<string> => (await swaks(port, { from: CHEF, to, quitAfter: 'RCPT' })).lastReply;

  before(async () => {
    families = familiesWith([], ['equipe']);
    const charter = join(families.dir, 'equipe', 'equipe.charter');
    writeFileSync(charter, readFileSync(charter, 'utf8').replace('in 1..19, 21..95', 'in 1..19, 21..99'));
    smtp = await startFront({ AUTOLIST_FAMILIES_DIR: families.dir });
    port = smtp.front.address.port;
  });
  after(async () => {
    await smtp?.close();
    families?.dispose();
  });

  it('takes mail for a list whose only members subscribed', async () => {
    assert.match(await rcpt(NOBODYS), /^550 5\.2\.1 equipe-96@lists\.example\.org \(.+\) has no members: nobody in the directory matches it, so nobody would receive the message$/);
    assert.equal((await smtp.services.subscriptions.apply(resolve(NOBODYS), JOINER, 'subscribe', 'mail')).result, 'added');
    assert.match(await rcpt(NOBODYS), /^250 /);
  });

  it('refuses mail for a list whose members all unsubscribed, and takes it again once one is a member again', async () => {
    assert.equal(SMALL_MEMBERS.length, 17);
    assert.match(await rcpt(SMALL), /^250 /);
    const list = resolve(SMALL);
    for (const member of SMALL_MEMBERS) assert.equal((await smtp.services.subscriptions.apply(list, member, 'unsubscribe', 'mail')).result, 'excluded', member);
    assert.match(await rcpt(SMALL), /^550 5\.2\.1 equipe-66@lists\.example\.org \(.+\) has no members: all whom the directory puts on it have unsubscribed, so nobody would receive the message$/);
    assert.equal((await smtp.services.subscriptions.undoOverride(list, SMALL_MEMBERS[0] as string))?.kind, 'exclusion', 'an administrator undoes one exclusion');
    assert.match(await rcpt(SMALL), /^250 /);
  });
});
