/**
 * Verified senders and the message's results in the rights: a `senders verified` family refuses a
 * sender nobody vouches for, an authenticated user verifies the addresses it owns, and DKIM, SPF and
 * DMARC are unknown before the message (three-valued rules, `pending` decisions), over the embedded
 * directory of the generated fixture.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compileFamily } from '../../src/charter/compile.js';
import { loadSharedConditions, readFamilySource } from '../../src/charter/load.js';
import { Resolver } from '../../src/charter/resolver.js';
import { PROJECT_ROOT } from '../../src/config/config.js';
import type { Rights } from '../../src/rights/index.js';
import { backend, caseName, check, fixtureDirectory, listOf, resolver, rightsOver, type Case } from './helpers.js';

const fixture = fixtureDirectory();
const CHEF = 'chef.bretagne@example.org';
const GENDARME = 'gendarme.bretagne@example.org';
const BEFORE = { beforeMessage: true } as const;

/** liste says `senders verified`; its send rights: allow if @commandement, otherwise deny. */
const VERIFICATION: Case[] = [
  // Not asked (the command line, HTTP by default): decided as for a verified sender.
  { list: 'liste.chefs-56', action: 'send', sender: CHEF, decision: 'allow', rule: 1 },
  { list: 'liste.chefs-56', action: 'send', sender: CHEF, context: { verified: true, ...BEFORE }, decision: 'allow', rule: 1 },
  // Nobody vouches, before the message: DMARC may still, at its end.
  {
    list: 'liste.chefs-56',
    action: 'send',
    sender: CHEF,
    context: { verified: false, ...BEFORE },
    decision: 'pending',
    rule: 'unverified',
    reasons: [/^chef\.bretagne@example\.org n’est pas encore vérifié : le résultat DMARC du message pour example\.org, lu à sa fin, en décidera$/],
  },
  // After it, DMARC did not: refused, saying how to be verified.
  {
    list: 'liste.chefs-56',
    action: 'send',
    sender: CHEF,
    context: { verified: false, dmarc: 'fail' },
    decision: 'deny',
    rule: 'unverified',
    reasons: [
      /^chef\.bretagne@example\.org n’a pas pu être vérifié, et ne peut donc pas écrire à liste\.chefs-56@lists\.example\.org : .*\(DMARC : fail\) ; authentifiez-vous \(SMTP AUTH\) comme titulaire de l’adresse, ou envoyez par le serveur de messagerie de example\.org/,
    ],
  },
  // A sender the rules refuse is refused at once, verified or not: nothing waits for the message.
  { list: 'liste.chefs-56', action: 'send', sender: GENDARME, context: { verified: false, ...BEFORE }, decision: 'deny', rule: 'otherwise', reasons: [/n’est pas un chef : title vaut gendarme/] },
  // An authenticated owner: by uid, by an alternate address, by the address itself (any case).
  { list: 'liste.chefs-56', action: 'send', sender: CHEF, context: { verified: false, authenticatedUser: 'chef.bretagne', ...BEFORE }, decision: 'allow', rule: 1 },
  { list: 'liste.chefs-56', action: 'send', sender: CHEF, context: { verified: false, authenticatedUser: 'jean.chef@example.org' }, decision: 'allow', rule: 1 },
  { list: 'liste.chefs-56', action: 'send', sender: CHEF, context: { verified: false, authenticatedUser: 'Chef.Bretagne@Example.org' }, decision: 'allow', rule: 1 },
  // Authenticated, but as someone else: no better than nobody.
  { list: 'liste.chefs-56', action: 'send', sender: CHEF, context: { verified: false, authenticatedUser: 'gendarme.bretagne' }, decision: 'deny', rule: 'unverified' },
  { list: 'liste.chefs-56', action: 'send', sender: CHEF, context: { verified: false, authenticatedUser: GENDARME, ...BEFORE }, decision: 'pending', rule: 'unverified' },
  // Only sending needs a verified sender.
  { list: 'liste.chefs-56', action: 'review', sender: GENDARME, context: { verified: false }, decision: 'allow', rule: 1 },
];

/**
 * equipe (no `senders` line: verified by default): rule 4 denies senders outside the directory,
 * rule 5 allows if any(dkim pass, spf pass), rule 2 the empty sender.
 */
const EQUIPE: Case[] = [
  // A gendarme, verified: only DKIM or SPF could let him in; before the message, pending.
  {
    list: 'equipe-56',
    action: 'send',
    sender: GENDARME,
    context: { verified: true, ...BEFORE },
    decision: 'pending',
    rule: 'message',
    reasons: [/^rule 5 .*: depends on the message$/, /^DKIM is not known before the message is read$/],
  },
  { list: 'equipe-56', action: 'send', sender: GENDARME, context: { verified: true, dkim: 'pass' }, decision: 'allow', rule: 5 },
  { list: 'equipe-56', action: 'send', sender: GENDARME, context: { verified: true, dkim: 'fail', spf: 'softfail' }, decision: 'deny', rule: 'otherwise' },
  // Outside the directory: rule 4 denies before any unknown rule, at once.
  { list: 'equipe-56', action: 'send', sender: 'dehors@example.net', context: { verified: false, ...BEFORE }, decision: 'deny', rule: 4 },
  // The empty sender claims nobody's address: the rules alone decide.
  { list: 'equipe-56', action: 'send', sender: '<>', context: { verified: false }, decision: 'allow', rule: 2 },
];

/** A family whose rules read DMARC, DKIM and SPF under not, all and any; it takes senders as given. */
const ESSAI = `family essai
domain lists.example.org
base "dc=example,dc=org"
senders any
<address> ::= 'essai-' <n>
<n> ::= /[0-9][0-9]/ filter (departmentNumber={text})
rights send
  deny if not dmarc pass
  allow if anyone
rights review
  allow if all(dkim pass, sender matches (title=gendarme))
  otherwise deny
rights subscribe
  deny if dkim fail
  otherwise deny
rights unsubscribe
  allow if any(spf pass, sender in directory)
  otherwise deny
`;

const THREE_VALUED: Case[] = [
  // not(unknown) is unknown: deny or allow, the message decides.
  {
    list: 'essai-56',
    action: 'send',
    sender: CHEF,
    context: { verified: false, ...BEFORE },
    decision: 'pending',
    rule: 'message',
    reasons: [/so whether not \(DMARC is pass\) holds depends on the message/],
  },
  { list: 'essai-56', action: 'send', sender: CHEF, context: { verified: false, dmarc: 'pass' }, decision: 'allow', rule: 2 },
  { list: 'essai-56', action: 'send', sender: CHEF, context: { verified: false, dmarc: 'none' }, decision: 'deny', rule: 1 },
  // all(unknown, false) is false: decided before the message.
  { list: 'essai-56', action: 'review', sender: CHEF, context: BEFORE, decision: 'deny', rule: 'otherwise' },
  { list: 'essai-56', action: 'review', sender: GENDARME, context: BEFORE, decision: 'pending', rule: 'message' },
  // Every possible outcome is deny: no need to wait.
  { list: 'essai-56', action: 'subscribe', sender: CHEF, context: BEFORE, decision: 'deny', rule: 'otherwise' },
  // any(unknown, true) is true.
  { list: 'essai-56', action: 'unsubscribe', sender: CHEF, context: BEFORE, decision: 'allow', rule: 1 },
  { list: 'essai-56', action: 'unsubscribe', sender: 'dehors@example.net', context: BEFORE, decision: 'pending', rule: 'message' },
  { list: 'essai-56', action: 'unsubscribe', sender: 'dehors@example.net', context: { spf: 'pass' }, decision: 'allow', rule: 1 },
];

describe('verified senders and the message results in the rights', () => {
  const directory = backend('embedded', fixture.ldif);
  let rights: Rights;
  let families: string;
  let essai: Resolver;
  before(() => {
    families = mkdtempSync(join(tmpdir(), 'autolist-essai-'));
    mkdirSync(join(families, 'essai'));
    writeFileSync(join(families, 'essai', 'essai.charter'), ESSAI);
    essai = new Resolver([compileFamily(readFamilySource(join(families, 'essai')), loadSharedConditions(join(PROJECT_ROOT, 'families')))]);
    assert.equal(essai.family('essai')?.header.senders, 'any');
    assert.equal(resolver.family('equipe')?.header.senders, 'verified', 'the default');
    rights = rightsOver(directory.directory).rights;
  });
  after(() => rmSync(families, { recursive: true, force: true }));

  describe('a family saying senders verified (liste)', () => {
    for (const c of VERIFICATION) it(caseName(c), () => check(rights, c).then(() => undefined));
  });
  describe('the verified default, rules reading DKIM and SPF (equipe)', () => {
    for (const c of EQUIPE) it(caseName(c), () => check(rights, c).then(() => undefined));
  });
  describe('three-valued rules, a family saying senders any (essai)', () => {
    for (const c of THREE_VALUED) it(caseName(c), () => check(rights, c, (name) => essai.resolve(`${name}@lists.example.org`)).then(() => undefined));
  });

  it('keys cached decisions by what they depend on: verified, the results, before or after the message', async () => {
    const fresh = rightsOver(directory.directory).rights;
    const list = essai.resolve('essai-56@lists.example.org');
    const chefs = listOf('liste.chefs-56');
    const asked = [
      [list, { verified: false, beforeMessage: true }, 'pending'],
      [list, { verified: false, dmarc: 'pass' }, 'allow'],
      [list, { verified: false, dmarc: 'fail' }, 'deny'],
      [chefs, { verified: true }, 'allow'],
      [chefs, { verified: false }, 'deny'],
      [chefs, { verified: false, beforeMessage: true }, 'pending'],
      [chefs, {}, 'allow'],
    ] as const;
    for (const round of [1, 2]) {
      for (const [l, context, expected] of asked) assert.equal((await fresh.decide(l, 'send', CHEF, context)).decision, expected, `round ${round}: ${JSON.stringify(context)}`);
    }
    const counters = fresh.counters();
    assert.equal(counters.cached, asked.length, 'the second round is answered from the cache');
    assert.equal(counters.pending, 4);
  });
});
