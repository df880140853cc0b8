import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKENDS, backend, caseName, check, fixtureDirectory, listOf, rightsOver, type Case } from './helpers.js';

const fixture = fixtureDirectory();
const NATIONAL = 'liste.personnels-national';
const SEND_RULE = /règle 1 \(liste\/liste\.charter:\d+\) : autorisé si commandement \(l’expéditeur est un chef : la fiche de l’expéditeur dans l’annuaire correspond à \(title=chef\)\) : /;

/** The `liste` family: only chefs send, anyone in the directory reviews, subscribing is closed. */
const CASES: Case[] = [
  { list: NATIONAL, action: 'send', sender: 'chef.bretagne@example.org', decision: 'allow', rule: 1, reasons: [/^l’expéditeur chef\.bretagne@example\.org est un chef : title vaut chef$/] },
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
    reasons: [/^l’expéditeur jean\.chef@example\.org est un chef : title vaut chef$/],
  },
  // `title` compares with caseIgnoreMatch: an entry that says `Chef` or `CHEF` is a chef.
  { list: NATIONAL, action: 'send', sender: 'chef.capital@example.org', decision: 'allow', rule: 1, reasons: [/^l’expéditeur chef\.capital@example\.org est un chef : title vaut Chef$/] },
  { list: 'liste.chefs-2b', action: 'send', sender: 'chef.bastia@example.org', decision: 'allow', rule: 1, reasons: [/^l’expéditeur chef\.bastia@example\.org est un chef : title vaut CHEF$/] },
  {
    list: NATIONAL,
    action: 'send',
    sender: 'gendarme.bretagne@example.org',
    decision: 'deny',
    rule: 'otherwise',
    reasons: [
      /^gendarme\.bretagne@example\.org ne peut pas écrire à liste\.personnels-national@lists\.example\.org : l’expéditeur gendarme\.bretagne@example\.org n’est pas un chef : title vaut gendarme$/,
      /^aucune règle ne s’applique, donc la règle par défaut s’applique : sinon refusé$/,
      new RegExp(`${SEND_RULE.source}ne s’applique pas$`),
      /^l’expéditeur gendarme\.bretagne@example\.org n’est pas un chef : title vaut gendarme$/,
    ],
  },
  {
    list: NATIONAL,
    action: 'send',
    sender: 'inconnu@example.org',
    decision: 'deny',
    rule: 'otherwise',
    reasons: [/^l’expéditeur inconnu@example\.org n’est pas un chef : aucune fiche dans l’annuaire$/],
  },
  {
    list: NATIONAL,
    action: 'send',
    sender: 'chef.bretagne@example.net',
    decision: 'deny',
    rule: 'otherwise',
    reasons: [/^l’expéditeur chef\.bretagne@example\.net n’est pas un chef : aucune fiche dans l’annuaire$/],
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
    reasons: [/l’expéditeur vide \(un avis de non-remise\) ne peut pas écrire à .* : aucune règle de la famille liste n’autorise l’expéditeur vide/],
  },
  { list: NATIONAL, action: 'send', sender: '', decision: 'deny', rule: 'empty-sender', matched: '' },
  { list: NATIONAL, action: 'send', sender: ' < > ', decision: 'deny', rule: 'empty-sender', matched: '' },
  {
    list: 'liste.chefs-56',
    action: 'subscribe',
    sender: 'chef.bretagne@example.org',
    decision: 'deny',
    rule: 'closed',
    reasons: [/^personne ne peut s’abonner à liste\.chefs-56@lists\.example\.org : l’action subscribe est fermée dans la famille liste$/],
  },
  { list: 'liste.chefs-56', action: 'unsubscribe', sender: 'chef.bretagne@example.org', decision: 'deny', rule: 'closed' },
  {
    list: 'liste.chefs-56',
    action: 'review',
    sender: 'gendarme.bretagne@example.org',
    decision: 'allow',
    rule: 1,
    reasons: [/l’expéditeur gendarme\.bretagne@example\.org est dans l’annuaire \(uid=gendarme\.bretagne,ou=people,dc=example,dc=org\)/],
  },
  { list: 'liste.chefs-56', action: 'review', sender: 'inconnu@example.org', decision: 'deny', rule: 'otherwise' },
  { list: 'liste.chefs-56', action: 'review', sender: '<>', decision: 'deny', rule: 'otherwise', reasons: [/l’expéditeur vide n’est pas dans l’annuaire/] },
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
      assert.deepEqual(rights.counters(), { decisions: 5, cached: 4, allow: 5, deny: 0, defer: 0, pending: 0, moderate: 0 });
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
        assert.match(decision.reasons[0] ?? '', /^\S+ ne peut pas être vérifié pour le moment : l’annuaire n’a pas pu répondre ; réessayez plus tard$/, 'no server, error code or message');
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
