import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memberOfAddress } from '../../src/rights/index.js';
import { BACKENDS, backend, caseName, check, fixtureDirectory, listOf, rightsOver, type Case } from './helpers.js';

const fixture = fixtureDirectory();

/**
 * The test family `equipe` (test/fixtures/families/equipe): one list per département, rules that
 * use every kind of condition. Its send rules, first match wins:
 *   1 allow if @chef-local = all(@commandement, member of "liste.chefs-{department}")
 *   2 allow if empty sender
 *   3 allow if all(authenticated, sender domain in example.org)
 *   4 deny if not sender in directory
 *   5 allow if any(dkim pass, spf pass)
 *   otherwise deny
 */
const CASES: Record<string, Case[]> = {
  'named conditions, all, sender matches, member of another charter list': [
    {
      list: 'equipe-56',
      action: 'send',
      sender: 'chef.bretagne@example.org',
      decision: 'allow',
      rule: 1,
      reasons: [
        /^rule 1 \(equipe\/equipe\.charter:\d+\): allow if chef-local \(all of \(commandement \(the sender is un chef: the sender's entry matches \(title=chef\)\); the sender is a member of liste\.chefs-\{department\}\)\): applies$/,
        /^chef-local: sender chef\.bretagne@example\.org is un chef: title is chef$/,
        /^chef-local: sender chef\.bretagne@example\.org is a member of liste\.chefs-56@lists\.example\.org$/,
      ],
    },
    // A chef, but not of this département: all() stops at the member-of condition.
    {
      list: 'equipe-56',
      action: 'send',
      sender: 'chef.capital@example.org',
      decision: 'deny',
      rule: 'otherwise',
      reasons: [/^chef-local: sender chef\.capital@example\.org is not a member of liste\.chefs-56@lists\.example\.org$/, /^rule 5 .*: does not apply$/],
    },
    // The template takes this list's parse: equipe-75 asks about liste.chefs-75, where `Chef` is a chef.
    { list: 'equipe-75', action: 'send', sender: 'chef.capital@example.org', decision: 'allow', rule: 1, reasons: [/is a member of liste\.chefs-75@lists\.example\.org/] },
    { list: 'equipe-2b', action: 'send', sender: 'chef.bastia@example.org', decision: 'allow', rule: 1, reasons: [/is a member of liste\.chefs-2b@lists\.example\.org/] },
    // Not a chef: all() stops at the first condition, the membership is not asked.
    {
      list: 'equipe-56',
      action: 'send',
      sender: 'gendarme.bretagne@example.org',
      decision: 'deny',
      rule: 'otherwise',
      reasons: [/^chef-local: sender gendarme\.bretagne@example\.org is not un chef: title is gendarme$/],
    },
  ],
  'empty sender, allowed by this family': [
    { list: 'equipe-56', action: 'send', sender: '<>', decision: 'allow', rule: 2, matched: '', reasons: [/^the sender is empty \(a bounce\)$/] },
    // Only for send: the other actions have no such rule.
    { list: 'equipe-56', action: 'review', sender: '<>', decision: 'deny', rule: 'otherwise', reasons: [/the empty sender is nobody's address/] },
  ],
  'authenticated and sender domain, combined with all': [
    {
      list: 'equipe-56',
      action: 'send',
      sender: 'Quelqu.Un@Example.org',
      context: { authenticatedUser: 'quelqu.un' },
      decision: 'allow',
      rule: 3,
      reasons: [/the sender authenticated as quelqu\.un/, /sender quelqu\.un@example\.org is in the domain example\.org/],
    },
    { list: 'equipe-56', action: 'send', sender: 'quelqu.un@example.org', context: { authenticatedUser: '  ' }, decision: 'deny', rule: 4, reasons: [/the sender did not authenticate/] },
    {
      list: 'equipe-56',
      action: 'send',
      sender: 'quelqu.un@example.org',
      decision: 'deny',
      rule: 4,
      reasons: [/the sender did not authenticate/, /sender quelqu\.un@example\.org is not in the directory/],
    },
    {
      list: 'equipe-56',
      action: 'send',
      sender: 'dehors@example.net',
      context: { authenticatedUser: 'dehors' },
      decision: 'deny',
      rule: 4,
      reasons: [/sender dehors@example\.net is not in the domain example\.org/],
    },
    // The domain is compared whole: a subdomain is another domain.
    { list: 'equipe-56', action: 'send', sender: 'p000123@alias.example.org', context: { authenticatedUser: 'p000123' }, decision: 'deny', rule: 4, reasons: [/is not in the domain example\.org/] },
  ],
  'not, and first match wins': [
    // Rule 4 denies before rule 5 could allow, whatever DKIM says.
    { list: 'equipe-56', action: 'send', sender: 'dehors@example.net', context: { dkim: 'pass' }, decision: 'deny', rule: 4, reasons: [/so not \(the sender is in the directory\) holds/] },
    { list: 'equipe-56', action: 'send', sender: 'gendarme.bretagne@example.org', decision: 'deny', rule: 'otherwise', reasons: [/so not \(the sender is in the directory\) does not hold/] },
  ],
  'DKIM and SPF from the caller, combined with any': [
    { list: 'equipe-56', action: 'send', sender: 'gendarme.bretagne@example.org', context: { dkim: 'pass' }, decision: 'allow', rule: 5, reasons: [/^DKIM is pass$/] },
    {
      list: 'equipe-56',
      action: 'send',
      sender: 'gendarme.bretagne@example.org',
      context: { dkim: 'fail', spf: 'PASS' },
      decision: 'allow',
      rule: 5,
      reasons: [/^DKIM is fail, not pass$/, /^SPF is pass$/],
    },
    {
      list: 'equipe-56',
      action: 'send',
      sender: 'gendarme.bretagne@example.org',
      context: { dkim: 'fail', spf: 'softfail' },
      decision: 'deny',
      rule: 'otherwise',
      reasons: [/^SPF is softfail, not pass$/],
    },
    { list: 'equipe-56', action: 'send', sender: 'gendarme.bretagne@example.org', context: {}, decision: 'deny', rule: 'otherwise', reasons: [/^DKIM is none, not pass$/, /^SPF is none, not pass$/] },
  ],
  'member of this list (one targeted search)': [
    {
      list: 'equipe-56',
      action: 'review',
      sender: 'gendarme.bretagne@example.org',
      decision: 'allow',
      rule: 1,
      reasons: [/^sender gendarme\.bretagne@example\.org is a member of equipe-56@lists\.example\.org$/],
    },
    { list: 'equipe-29', action: 'review', sender: 'gendarme.bretagne@example.org', decision: 'deny', rule: 'otherwise', reasons: [/is not a member of equipe-29@lists\.example\.org/] },
    // equipe names no alternate-address attribute: only `mail` is an address of the person here.
    { list: 'equipe-56', action: 'review', sender: 'jean.chef@example.org', decision: 'deny', rule: 'otherwise' },
    { list: 'equipe-56', action: 'review', sender: 'inconnu@example.org', decision: 'deny', rule: 'otherwise' },
  ],
  'in directory, not sender matches (a second attribute), anyone': [
    { list: 'equipe-56', action: 'subscribe', sender: 'gendarme.bretagne@example.org', decision: 'allow', rule: 1, reasons: [/does not match \(employeeType=civil\): employeeType is militaire/] },
    { list: 'equipe-56', action: 'subscribe', sender: 'chef.bretagne@example.org', decision: 'deny', rule: 'otherwise', reasons: [/matches \(employeeType=civil\): employeeType is civil/] },
    { list: 'equipe-56', action: 'subscribe', sender: 'inconnu@example.org', decision: 'deny', rule: 'otherwise', reasons: [/is not in the directory/] },
    { list: 'equipe-56', action: 'unsubscribe', sender: 'inconnu@example.org', decision: 'allow', rule: 1, reasons: [/^anyone may$/] },
  ],
};

describe("member of: the template is filled from the list's parse", () => {
  it('names the other list in the domain of this one', () => {
    assert.equal(memberOfAddress('liste.chefs-{department}', listOf('equipe-2a')), 'liste.chefs-2a@lists.example.org');
    assert.equal(memberOfAddress('liste.chefs-{department}@lists.example.org', listOf('equipe-07')), 'liste.chefs-07@lists.example.org');
  });
});

for (const kind of BACKENDS) {
  describe(`rights of the equipe family, ${kind} directory`, () => {
    const opened = backend(kind, fixture.ldif);
    for (const [topic, cases] of Object.entries(CASES)) {
      describe(topic, () => {
        for (const c of cases) {
          it(caseName(c), async () => {
            await check(rightsOver(opened.directory).rights, c);
          });
        }
      });
    }

    it('asks the directory only what the rules need: the sender once, the other list once', async () => {
      const { rights, counting } = rightsOver(opened.directory);
      await rights.decide(listOf('equipe-56'), 'send', 'chef.bretagne@example.org');
      assert.equal(counting.searches, 2, 'the sender, then the membership of liste.chefs-56');
      counting.reset();
      await rights.decide(listOf('equipe-56'), 'send', 'gendarme.bretagne@example.org', { spf: 'pass' });
      assert.equal(counting.searches, 1, 'not a chef: the membership is not asked; the entry, asked by two rules, is looked up once');
      counting.reset();
      await rights.decide(listOf('equipe-56'), 'send', '<>');
      assert.equal(counting.searches, 0);
    });
  });
}
