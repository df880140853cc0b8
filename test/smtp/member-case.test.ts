/**
 * Mail goes to a member as the directory writes the address (`mail: Jean.Dupont@Example.org` is
 * RCPT TO:<Jean.Dupont@example.org>), while the delivery record and the bounces compare addresses
 * without case: a try after a 451 sends nobody a second copy even when the entry's case changed in
 * between, and the bounces of two spellings are one address's. The relay is a real SMTP server on
 * loopback; the directory a real slapd, or the embedded directory, loaded with the demo directory and
 * one more chef of 2A.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_DIRECTORY } from '../../src/config/config.js';
import { Slapd } from '../harness/slapd.js';
import { CHEF, chefs2a, LIST, message, startFront, swaks } from './helpers.js';
import { TestRelay } from './relay-server.js';

/** The demo directory with Jean Dupont, chef of 2A, whose mail is written `mail`. */
function directoryWith(dir: string, name: string, mail: string): string {
  const file = join(dir, name);
  const jean = [
    'dn: uid=jean.dupont,ou=people,dc=example,dc=org',
    'objectClass: inetOrgPerson',
    'uid: jean.dupont',
    'cn: Jean Dupont',
    'sn: Dupont',
    'title: chef',
    'departmentNumber: 2A',
    `mail: ${mail}`,
  ];
  writeFileSync(file, `${readFileSync(DEMO_DIRECTORY, 'utf8').trimEnd()}\n\n${jean.join('\n')}\n`);
  return file;
}

/** How many copies each member received, whatever the case of the RCPT. */
function copiesWithoutCase(relay: TestRelay): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [address, count] of relay.deliveries()) counts.set(address.toLowerCase(), (counts.get(address.toLowerCase()) ?? 0) + count);
  return counts;
}

const AS_WRITTEN = 'Jean.Dupont@example.org';
const members = [...chefs2a, 'jean.dupont@example.org'].sort();

describe('member addresses keep their case on the way to the relay', () => {
  let dir: string;
  let mixedCase: string;
  let upperCase: string;
  let slapd: Slapd;
  let relay: TestRelay;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-case-'));
    mixedCase = directoryWith(dir, 'mixed.ldif', 'Jean.Dupont@Example.org');
    upperCase = directoryWith(dir, 'upper.ldif', 'JEAN.DUPONT@EXAMPLE.ORG');
    slapd = await Slapd.start({ ldif: mixedCase });
    relay = await TestRelay.start();
  });
  after(async () => {
    await relay.close();
    await slapd.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('slapd: the relay sees RCPT TO:<Jean.Dupont@example.org>, each member once; jean.dupont@example.org is a member', async () => {
    relay.reset();
    const f = await startFront({ AUTOLIST_LDAP_URL: slapd.url, AUTOLIST_LDAP_BIND_DN: slapd.bindDN, AUTOLIST_LDAP_BIND_PASSWORD: slapd.password, AUTOLIST_RELAY_URL: relay.url });
    try {
      const data = message({ From: CHEF, To: LIST, Subject: 'casse', 'Message-ID': '<case-slapd@example.org>' }, 'x');
      const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
      assert.match(result.lastReply, /^250 /, result.transcript);
      const recipients = relay.received.flatMap((t) => t.recipients);
      assert.ok(recipients.includes(AS_WRITTEN), 'the local part as the directory writes it, the domain in lower case');
      assert.ok(!recipients.includes('jean.dupont@example.org'));
      assert.deepEqual(
        [...relay.deliveries().values()].filter((n) => n !== 1),
        [],
        'nobody twice',
      );
      assert.deepEqual([...copiesWithoutCase(relay).keys()].sort(), members);
      const list = f.services.catalog.resolver.resolve(LIST);
      f.services.membership.invalidateList(LIST);
      assert.equal(await f.services.membership.isMember(list, 'jean.dupont@example.org'), true, 'a targeted search');
      await f.services.membership.expand(list);
      assert.equal(await f.services.membership.isMember(list, 'jean.dupont@example.org'), true, 'the held members');
    } finally {
      await f.close();
    }
  });

  it('embedded: a try after a 451 and a restart sends Jean no second copy although his entry now reads JEAN.DUPONT@EXAMPLE.ORG', async () => {
    relay.reset();
    const state = join(dir, 'state-retry');
    const waiting = chefs2a.find((a) => a !== CHEF) as string;
    relay.refusals.set(waiting, 451);
    const data = message({ From: CHEF, To: LIST, Subject: 'reprise', 'Message-ID': '<case-retry@example.org>' }, 'x');
    const first = await startFront({ AUTOLIST_DIRECTORY_LDIF: mixedCase, AUTOLIST_RELAY_URL: relay.url, AUTOLIST_RELAY_STATE_DIR: state });
    try {
      const result = await swaks(first.front.address.port, { from: CHEF, to: LIST, data });
      assert.match(result.lastReply, /^451 /, result.transcript);
    } finally {
      await first.close();
    }
    assert.ok(relay.received.flatMap((t) => t.recipients).includes(AS_WRITTEN), 'the first try reached Jean');
    const firstTry = relay.received.length;

    relay.refusals.clear();
    const again = await startFront({ AUTOLIST_DIRECTORY_LDIF: upperCase, AUTOLIST_RELAY_URL: relay.url, AUTOLIST_RELAY_STATE_DIR: state });
    try {
      const result = await swaks(again.front.address.port, { from: CHEF, to: LIST, data });
      assert.match(result.lastReply, /^250 /, result.transcript);
    } finally {
      await again.close();
    }
    assert.deepEqual(
      relay.received.slice(firstTry).flatMap((t) => t.recipients),
      [waiting],
      'the retry goes only to the member refused for now',
    );
    assert.deepEqual(
      [...copiesWithoutCase(relay).values()].filter((n) => n !== 1),
      [],
      'nobody twice, whatever the case',
    );
    assert.deepEqual([...copiesWithoutCase(relay).keys()].sort(), members);
  });

  it('embedded: the bounces of Jean.Dupont@example.org and of JEAN.DUPONT@example.org are counted as one address', async () => {
    relay.reset();
    const bouncesFile = join(dir, 'bounces.log');
    const send = async (ldif: string, refused: string, id: string): Promise<Awaited<ReturnType<typeof startFront>>> => {
      relay.refusals.set(refused, 550);
      const f = await startFront({ AUTOLIST_DIRECTORY_LDIF: ldif, AUTOLIST_RELAY_URL: relay.url, AUTOLIST_BOUNCES_FILE: bouncesFile });
      const data = message({ From: CHEF, To: LIST, Subject: 'rebond', 'Message-ID': `<${id}@example.org>` }, 'x');
      const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
      assert.match(result.lastReply, /^250 /, result.transcript);
      return f;
    };
    await (await send(mixedCase, AS_WRITTEN, 'bounce-1')).close();
    const second = await send(upperCase, 'JEAN.DUPONT@example.org', 'bounce-2');
    try {
      const jean = second.services.bounces.query({ limit: 10 }).addresses.filter((a) => a.address.toLowerCase() === 'jean.dupont@example.org');
      assert.deepEqual(
        jean.map((a) => [a.address, a.count]),
        [['jean.dupont@example.org', 2]],
      );
    } finally {
      await second.close();
    }
  });
});
