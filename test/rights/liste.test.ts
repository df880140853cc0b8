import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKENDS, backend, caseName, check, fixtureDirectory, listOf, rightsOver, type Case } from './helpers.js';

const fixture = fixtureDirectory();
const NATIONAL = 'liste.personnels-national';
const SEND_RULE = /rule 1 \(liste\/liste\.charter:\d+\): allow if commandement \(the sender is a chef: the sender's entry matches \(title=chef\)\): /;

/** The `liste` family: only chefs send, anyone in the directory reviews, subscribing is closed. */
const CASES: Case[] = [
  { list: NATIONAL, action: 'send', sender: 'chef.bretagne@example.org', decision: 'allow', rule: 1, reasons: [/^sender chef\.bretagne@example\.org is a chef: title is chef$/] },
  { list: 'liste.chefs-56', action: 'send', sender: 'CHEF.Bretagne+tag@Example.ORG', decision: 'allow', rule: 1, matched: 'chef.bretagne@example.org' },
  { list: 'liste.gendarmes-bretagne', action: 'send', sender: '<Chef.Bretagne+listes@EXAMPLE.org>', decision: 'allow', rule: 1, matched: 'chef.bretagne@example.org' },
  // The alternate address of the family (alternate-addresses mailLocalAddress).
  {
    list: NATIONAL,
    action: 'send',
    sender: 'Jean.Chef@example.org',
    decision: 'allow',
    rule: 1,
    matched: 'jean.chef@example.org',
    reasons: [/^sender jean\.chef@example\.org is a chef: title is chef$/],
  },
  // `title` compares with caseIgnoreMatch: an entry that says `Chef` or `CHEF` is a chef.
  { list: NATIONAL, action: 'send', sender: 'chef.capital@example.org', decision: 'allow', rule: 1, reasons: [/^sender chef\.capital@example\.org is a chef: title is Chef$/] },
  { list: 'liste.chefs-2b', action: 'send', sender: 'chef.bastia@example.org', decision: 'allow', rule: 1, reasons: [/^sender chef\.bastia@example\.org is a chef: title is CHEF$/] },
  {
    list: NATIONAL,
    action: 'send',
    sender: 'gendarme.bretagne@example.org',
    decision: 'deny',
    rule: 'otherwise',
    reasons: [
      /^gendarme\.bretagne@example\.org may not send to liste\.personnels-national@lists\.example\.org: sender gendarme\.bretagne@example\.org is not a chef: title is gendarme$/,
      /^no rule applies, so the default applies: otherwise deny$/,
      new RegExp(`${SEND_RULE.source}does not apply$`),
      /^sender gendarme\.bretagne@example\.org is not a chef: title is gendarme$/,
    ],
  },
  { list: NATIONAL, action: 'send', sender: 'inconnu@example.org', decision: 'deny', rule: 'otherwise', reasons: [/^sender inconnu@example\.org is not a chef: no entry in the directory$/] },
  {
    list: NATIONAL,
    action: 'send',
    sender: 'chef.bretagne@example.net',
    decision: 'deny',
    rule: 'otherwise',
    reasons: [/^sender chef\.bretagne@example\.net is not a chef: no entry in the directory$/],
  },
  // A person without a mail has no address to send from.
  { list: NATIONAL, action: 'send', sender: 'plongeur.sansmail@example.org', decision: 'deny', rule: 'otherwise' },
  // The empty sender of a bounce: the family allows it nothing.
  {
    list: NATIONAL,
    action: 'send',
    sender: '<>',
    decision: 'deny',
    rule: 'empty-sender',
    matched: '',
    reasons: [/the empty sender \(a bounce\) may not send to .*: no rule of the family liste allows the empty sender/],
  },
  { list: NATIONAL, action: 'send', sender: '', decision: 'deny', rule: 'empty-sender', matched: '' },
  { list: NATIONAL, action: 'send', sender: ' < > ', decision: 'deny', rule: 'empty-sender', matched: '' },
  {
    list: 'liste.chefs-56',
    action: 'subscribe',
    sender: 'chef.bretagne@example.org',
    decision: 'deny',
    rule: 'closed',
    reasons: [/^nobody may subscribe to liste\.chefs-56@lists\.example\.org: subscribe is closed in the family liste$/],
  },
  { list: 'liste.chefs-56', action: 'unsubscribe', sender: 'chef.bretagne@example.org', decision: 'deny', rule: 'closed' },
  {
    list: 'liste.chefs-56',
    action: 'review',
    sender: 'gendarme.bretagne@example.org',
    decision: 'allow',
    rule: 1,
    reasons: [/sender gendarme\.bretagne@example\.org is in the directory \(uid=gendarme\.bretagne,ou=people,dc=example,dc=org\)/],
  },
  { list: 'liste.chefs-56', action: 'review', sender: 'inconnu@example.org', decision: 'deny', rule: 'otherwise' },
  { list: 'liste.chefs-56', action: 'review', sender: '<>', decision: 'deny', rule: 'otherwise', reasons: [/the empty sender is not in the directory/] },
  // Odd senders are answered (no one matches them), never a crash nor a defer.
  { list: NATIONAL, action: 'send', sender: '"chef bretagne"@example.org', decision: 'deny', rule: 'otherwise', matched: '"chef bretagne"@example.org' },
  { list: NATIONAL, action: 'send', sender: '"chef.bretagne"@example.org', decision: 'allow', rule: 1, matched: 'chef.bretagne@example.org' },
  { list: NATIONAL, action: 'send', sender: '"a\\"b\\\\c"@example.org', decision: 'deny', rule: 'otherwise' },
  { list: NATIONAL, action: 'send', sender: '*)(title=chef)(mail=*@example.org', decision: 'deny', rule: 'otherwise' },
  { list: NATIONAL, action: 'send', sender: '*@example.org', decision: 'deny', rule: 'otherwise' },
  { list: NATIONAL, action: 'send', sender: 'jösé+x@exämple.org', decision: 'deny', rule: 'otherwise', matched: 'jösé@exämple.org' },
  { list: NATIONAL, action: 'send', sender: 'not an address', decision: 'deny', rule: 'otherwise', matched: 'not an address' },
  { list: NATIONAL, action: 'send', sender: `${'x'.repeat(2000)}@example.org`, decision: 'deny', rule: 'otherwise' },
  { list: NATIONAL, action: 'send', sender: 'chef.bretagne\u0000@example.org', decision: 'deny', rule: 'otherwise' },
];

for (const kind of BACKENDS) {
  describe(`rights of the liste family, ${kind} directory`, () => {
    const opened = backend(kind, fixture.ldif);

    for (const c of CASES) {
      it(caseName(c), async () => {
        await check(rightsOver(opened.directory).rights, c);
      });
    }

    it('gives the same decision, from the cache, to every spelling of a sender', async () => {
      const { rights, counting } = rightsOver(opened.directory);
      const list = listOf(NATIONAL);
      const first = await rights.decide(list, 'send', 'chef.bretagne@example.org');
      for (const spelling of ['CHEF.Bretagne+tag@Example.ORG', '<chef.bretagne@example.org>', '"chef.bretagne"@example.org', 'chef.bretagne+x@example.org.']) {
        assert.equal(await rights.decide(list, 'send', spelling), first, spelling);
      }
      assert.equal(counting.searches, 1);
      assert.deepEqual(rights.counters(), { decisions: 5, cached: 4, allow: 5, deny: 0, defer: 0, pending: 0 });
    });
  });
}

describe('rights of the liste family when slapd is down', () => {
  const opened = backend('slapd', fixture.ldif);
  const national = (): ReturnType<typeof listOf> => listOf(NATIONAL);

  it('defers (never denies) while the directory cannot answer, and allows again once it is back', async () => {
    const before = rightsOver(opened.directory).rights;
    assert.equal((await before.decide(national(), 'send', 'chef.bretagne@example.org')).decision, 'allow');
    await opened.slapd?.stop();
    try {
      // Decisions already made stay good for their TTL.
      assert.equal((await before.decide(national(), 'send', 'chef.bretagne@example.org')).decision, 'allow');
      const { rights } = rightsOver(opened.directory);
      for (const sender of ['chef.bretagne@example.org', 'gendarme.bretagne@example.org', 'inconnu@example.org']) {
        const decision = await rights.decide(national(), 'send', sender);
        assert.equal(decision.decision, 'defer', JSON.stringify(decision));
        assert.equal(decision.rule, 'directory');
        assert.match(decision.reasons[0] ?? '', /^\S+ cannot be checked now: the directory could not answer; try again later$/, 'no server, error code or message');
      }
      // What needs no directory is still answered.
      assert.equal((await rights.decide(national(), 'subscribe', 'chef.bretagne@example.org')).decision, 'deny');
      assert.equal((await rights.decide(national(), 'send', '<>')).decision, 'deny');
      assert.equal(rights.counters().defer, 3);
    } finally {
      await opened.slapd?.restart();
    }
    const { rights } = rightsOver(opened.directory);
    const again = await rights.decide(national(), 'send', 'chef.bretagne@example.org');
    assert.equal(again.decision, 'allow', JSON.stringify(again));
    assert.equal((await rights.decide(national(), 'send', 'gendarme.bretagne@example.org')).decision, 'deny');
  });

  it('never caches a defer: the next decision asks the directory again', async () => {
    const { rights, counting } = rightsOver(opened.directory);
    await opened.slapd?.stop();
    try {
      assert.equal((await rights.decide(national(), 'send', 'chef.capital@example.org')).decision, 'defer');
    } finally {
      await opened.slapd?.restart();
    }
    assert.equal((await rights.decide(national(), 'send', 'chef.capital@example.org')).decision, 'allow');
    assert.equal(counting.searches, 2);
  });
});
