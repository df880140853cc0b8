/**
 * A message tried again after a 451 reaches each member once, even when autolist restarted in
 * between (the delivery record is on disk) or the list's members changed (the record holds the
 * members reached, not batch numbers). The directory is a real slapd loaded with the demo
 * directory, changed with ldapmodify; the relay goes down after its first transaction.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_DIRECTORY } from '../../src/config/config.js';
import { Slapd } from '../harness/slapd.js';
import { CHEF, chefs2a, LIST, message, once, startFront, swaks } from './helpers.js';
import { TestRelay } from './relay-server.js';

describe('a message tried again after a restart, or after its members changed', () => {
  let slapd: Slapd;
  let relay: TestRelay;
  let state: string;
  before(async () => {
    slapd = await Slapd.start({ ldif: DEMO_DIRECTORY });
    relay = await TestRelay.start();
    state = mkdtempSync(join(tmpdir(), 'autolist-state-'));
  });
  after(async () => {
    await relay.close();
    await slapd.dispose();
    rmSync(state, { recursive: true, force: true });
  });
  /** A front on the shared delivery record; the relay takes 3 recipients a transaction. */
  const front = (): ReturnType<typeof startFront> =>
    startFront({
      AUTOLIST_LDAP_URL: slapd.url,
      AUTOLIST_LDAP_BIND_DN: slapd.bindDN,
      AUTOLIST_LDAP_BIND_PASSWORD: slapd.password,
      AUTOLIST_RELAY_URL: relay.url,
      AUTOLIST_RELAY_BATCH_SIZE: '3',
      AUTOLIST_RELAY_PARALLEL_BATCHES: '1',
      AUTOLIST_RELAY_STATE_DIR: state,
    });

  it('sends, from a new front on the same record, only to the members the first try did not reach', async () => {
    relay.reset();
    relay.transactionsLeft = 1;
    const data = message({ From: CHEF, To: LIST, Subject: 'panne', 'Message-ID': '<restart@example.org>' }, 'x');
    const before = await front();
    const first = await swaks(before.front.address.port, { from: CHEF, to: LIST, data });
    await before.close();
    assert.match(first.lastReply, /^451 4\.4\.1 /, first.transcript);
    assert.equal(relay.received.length, 1);

    relay.transactionsLeft = undefined;
    const restarted = await front();
    const retry = await swaks(restarted.front.address.port, { from: CHEF, to: LIST, data });
    await restarted.close();
    assert.match(retry.lastReply, /^250 /, retry.transcript);
    const reachedFirst = relay.received[0]?.recipients ?? [];
    const sentByRetry = relay.received.slice(1).flatMap((t) => t.recipients);
    assert.deepEqual(
      sentByRetry.sort(),
      chefs2a.filter((a) => !reachedFirst.includes(a)),
    );
    assert.deepEqual(relay.deliveries(), once(chefs2a));
  });

  it('sends a member added between the tries the message once, none to a member removed before it was reached, two to nobody', async () => {
    relay.reset();
    relay.transactionsLeft = 1;
    const f = await front();
    try {
      const data = message({ From: CHEF, To: LIST, Subject: 'changement', 'Message-ID': '<members-change@example.org>' }, 'x');
      const first = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
      assert.match(first.lastReply, /^451 /, first.transcript);
      const reachedFirst = relay.received[0]?.recipients ?? [];
      const removed = chefs2a.find((a) => a !== CHEF && !reachedFirst.includes(a)) as string;
      const added = 'nouveau.chef@example.org';
      await ldapmodify(slapd, [
        'dn: uid=nouveau.chef,ou=people,dc=example,dc=org',
        'changetype: add',
        'objectClass: inetOrgPerson',
        'uid: nouveau.chef',
        'cn: Nouveau Chef',
        'sn: Chef',
        'title: chef',
        'departmentNumber: 2A',
        `mail: ${added}`,
        '',
        `dn: ${await dnOf(slapd, removed)}`,
        'changetype: modify',
        'replace: title',
        'title: pilote',
      ]);
      f.services.membership.invalidateList(LIST);

      relay.transactionsLeft = undefined;
      const retry = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
      assert.match(retry.lastReply, /^250 /, retry.transcript);
      const expected = [...chefs2a.filter((a) => a !== removed), added].sort();
      assert.deepEqual(new Map([...relay.deliveries()].sort()), once(expected));
    } finally {
      await f.close();
    }
  });
});

/** Applies LDIF changes as the rootdn, with OpenLDAP's ldapmodify. */
function ldapmodify(slapd: Slapd, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('ldapmodify', ['-x', '-H', slapd.url, '-D', slapd.bindDN, '-w', slapd.password], { timeout: 30_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`ldapmodify: ${stderr || error.message}`)) : resolve(),
    );
    child.stdin?.end(`${lines.join('\n')}\n`);
  });
}

async function dnOf(slapd: Slapd, mail: string): Promise<string> {
  const dn = /^dn: (.+)$/m.exec(await slapd.ldapsearch(`(mail=${mail})`, { attributes: ['1.1'] }))?.[1];
  if (dn === undefined) throw new Error(`no entry has the mail ${mail}`);
  return dn;
}
