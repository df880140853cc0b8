/**
 * `moderate by ...` in a charter: the outcome wherever allow and deny stand, checked at
 * file:line:col (only send is moderated; @owners or a list template whose placeholders name parts
 * and which reads as an address), summarised as written, and decided with the moderators named.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileFamily } from '../../src/charter/compile.js';
import { describeActionRules } from '../../src/charter/describe.js';
import { loadFamilies, loadSharedConditions, readFamilySource } from '../../src/charter/load.js';
import { Resolver } from '../../src/charter/resolver.js';
import { backend, fixtureDirectory, rightsOver } from '../rights/helpers.js';
import { HEADER, family, problems } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RULES = `<a> ::= 'x-' <dept>\n<dept> ::= /[0-9][0-9]/ filter (departmentNumber={text})\n`;

/** The list x-56 of a charter written here. */
const x56 = (text: string) => new Resolver([family(text)]).resolve('x-56@lists.example.org');

const has = (list: string[], pattern: RegExp): void =>
  assert.ok(
    list.some((p) => pattern.test(p)),
    `expected a problem matching ${pattern}, got:\n${list.join('\n')}`,
  );

describe('moderate by, in a charter', () => {
  it('compiles as an outcome of a rule and of otherwise, with its moderators', () => {
    const list = x56(`${HEADER}moderation-expiry 12h\n${RULES}rights send\n  moderate by "liste.chefs-{dept}" if sender in directory\n  otherwise moderate by @owners\n`);
    const send = list.rights.send;
    assert.deepEqual(send.rules[0]?.moderators, { kind: 'list', template: 'liste.chefs-{dept}' });
    assert.equal(send.rules[0]?.outcome, 'moderate');
    assert.equal(send.otherwise, 'moderate');
    assert.deepEqual(send.otherwiseModerators, { kind: 'owners' });
    assert.equal(list.moderationExpirySeconds, 12 * 3600);
    assert.equal(describeActionRules(send), 'moderate by "liste.chefs-{dept}" if the sender is in the directory, otherwise moderate by @owners');
  });

  it('waits 7 days for a decision unless the header says otherwise', () => {
    assert.equal(x56(`${HEADER}${RULES}`).moderationExpirySeconds, 7 * 86_400);
  });

  it('reports a bad target, a bad expiry and moderation of another action at file:line:col', () => {
    has(problems(`${HEADER}${RULES}rights send\n  otherwise moderate by @chefs\n`), /^demo\.charter:7:26: moderators are @owners or a quoted list such as "liste\.chefs-\{where\}", not @chefs$/);
    has(problems(`${HEADER}${RULES}rights send\n  moderate by "liste.chefs-{where}" if anyone\n`), /^demo\.charter:7:15: .*where/);
    has(problems(`${HEADER}${RULES}rights send\n  otherwise moderate by "les chefs {dept}"\n`), /^demo\.charter:7:26: "les chefs \{dept\}" is no list address/);
    has(problems(`${HEADER}${RULES}rights send\n  otherwise moderate by "chefs@a@b"\n`), /^demo\.charter:7:26: "chefs@a@b" is no list address/);
    has(problems(`${HEADER}${RULES}rights review\n  moderate by @owners if anyone\n`), /^demo\.charter:7:3: only messages are moderated: "moderate by" is an outcome of send, not of review$/);
    has(problems(`${HEADER}moderation-expiry 7 days\n${RULES}`), /^demo\.charter:4:19: "moderation-expiry" takes one value|^demo\.charter:4:\d+: unexpected/);
    has(problems(`${HEADER}moderation-expiry 7w\n${RULES}`), /^demo\.charter:4:19: "7w" is no duration/);
  });
});

const revue = compileFamily(readFamilySource(join(ROOT, 'test', 'fixtures', 'families', 'revue')), loadSharedConditions(join(ROOT, 'families')));
const resolver = new Resolver([...loadFamilies(join(ROOT, 'families')), revue]);
const fixture = fixtureDirectory(300);

describe('moderated decisions, embedded directory', () => {
  const opened = backend('embedded', fixture.ldif);
  const decide = async (sender: string, context = {}) => {
    const { rights } = rightsOver(opened.directory, { rights: { resolve: (address) => resolver.resolve(address) } });
    return rights.decide(resolver.resolve('revue-56@lists.example.org'), 'send', sender, context);
  };

  it('a chef may send; a person of the directory is moderated by the chefs of the département', async () => {
    assert.equal((await decide('chef.bretagne@example.org')).decision, 'allow');
    const moderated = await decide('gendarme.bretagne@example.org');
    assert.equal(moderated.decision, 'moderate');
    assert.deepEqual(moderated.moderators, { kind: 'list', address: 'liste.chefs-56@lists.example.org' });
    assert.match(
      moderated.reasons[0] ?? '',
      /^gendarme\.bretagne@example\.org may, once a moderator approves the message, send to revue-56@lists\.example\.org: rule 2 \(revue\/revue\.charter:\d+\) applies$/,
    );
  });

  it('anyone else is moderated by the owners', async () => {
    const moderated = await decide('inconnu@example.org');
    assert.equal(moderated.decision, 'moderate');
    assert.equal(moderated.rule, 'otherwise');
    assert.deepEqual(moderated.moderators, { kind: 'owners' });
  });

  it('an unverified sender is refused before moderation, or pending before the message', async () => {
    assert.equal((await decide('inconnu@example.org', { verified: false })).decision, 'deny');
    assert.equal((await decide('inconnu@example.org', { verified: false, beforeMessage: true })).decision, 'pending');
  });
});

describe('moderation when the message decides', () => {
  const list = x56(`${HEADER}senders any\n${RULES}rights send\n  allow if dkim pass\n  otherwise moderate by @owners\n`);
  const opened = backend('embedded', fixture.ldif);

  it('is pending before the message, moderated or allowed after it', async () => {
    const { rights } = rightsOver(opened.directory);
    assert.equal((await rights.decide(list, 'send', 'inconnu@example.org', { beforeMessage: true })).decision, 'pending');
    assert.equal((await rights.decide(list, 'send', 'inconnu@example.org', { dkim: 'fail' })).decision, 'moderate');
    assert.equal((await rights.decide(list, 'send', 'inconnu@example.org', { dkim: 'pass' })).decision, 'allow');
  });
});
