/**
 * Reasons of labelled named conditions, on the embedded directory: the label's words and what the
 * sender's entry shows ("is not a chef: title is gendarme"); a label over a condition that reads no
 * attribute keeps that condition's own reasons after its sentence.
 */
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileFamily } from '../../src/charter/compile.js';
import { loadFamilies, loadSharedConditions } from '../../src/charter/load.js';
import { Resolver } from '../../src/charter/resolver.js';
import { backend, caseName, check, fixtureDirectory, rightsOver, type Case } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const LAB = `family lab
domain lists.example.org
base "dc=example,dc=org"
<address> ::= 'lab-' <dept>
<dept> ::= /[0-9][0-9]/ filter (departmentNumber={text})
condition chef = sender matches (title=chef) label "a chef"
condition maison = sender domain in example.org label "one of us"
condition chef-du-site = member of "liste.chefs-{dept}" label "a chef of this département"
condition officier = any(sender matches (title=chef), sender matches (title=gendarme)) label "an officer"
condition chef-maison = all(@maison, @chef)
rights send
  allow if @chef
rights review
  allow if all(@maison, not @chef)
rights subscribe
  allow if @chef-du-site
rights unsubscribe
  allow if @officier
  allow if @chef-maison
`;

const families = [...loadFamilies(join(ROOT, 'families')), compileFamily({ name: 'lab', file: 'lab/lab.charter', text: LAB, lexicons: [] }, loadSharedConditions(join(ROOT, 'families')))];
const resolver = new Resolver(families);

const CASES: Case[] = [
  { list: 'lab-56', action: 'send', sender: 'chef.capital@example.org', decision: 'allow', rule: 1, reasons: [/^sender chef\.capital@example\.org is a chef: title is Chef$/] },
  {
    list: 'lab-56',
    action: 'send',
    sender: 'gendarme.bretagne@example.org',
    decision: 'deny',
    rule: 'otherwise',
    reasons: [/^sender gendarme\.bretagne@example\.org is not a chef: title is gendarme$/],
  },
  { list: 'lab-56', action: 'send', sender: 'inconnu@example.org', decision: 'deny', rule: 'otherwise', reasons: [/^sender inconnu@example\.org is not a chef: no entry in the directory$/] },
  // A label over a condition that reads no attribute: its sentence, then the condition's own reason.
  {
    list: 'lab-56',
    action: 'review',
    sender: 'gendarme.bretagne@example.org',
    decision: 'allow',
    rule: 1,
    reasons: [
      /^sender gendarme\.bretagne@example\.org is one of us$/,
      /^sender gendarme\.bretagne@example\.org is in the domain example\.org$/,
      /^sender gendarme\.bretagne@example\.org is not a chef: title is gendarme$/,
      /^so not \(chef \(the sender is a chef: .*\)\) holds$/,
    ],
  },
  {
    list: 'lab-56',
    action: 'review',
    sender: 'chef.bretagne@example.org',
    decision: 'deny',
    rule: 'otherwise',
    reasons: [/^sender chef\.bretagne@example\.org is a chef: title is chef$/, /^so not \(chef .*\) does not hold$/],
  },
  {
    list: 'lab-56',
    action: 'review',
    sender: 'chef.bretagne@example.net',
    decision: 'deny',
    rule: 'otherwise',
    reasons: [/^sender chef\.bretagne@example\.net is not one of us$/, /^sender chef\.bretagne@example\.net is not in the domain example\.org$/],
  },
  {
    list: 'lab-56',
    action: 'subscribe',
    sender: 'chef.bretagne@example.org',
    decision: 'allow',
    rule: 1,
    reasons: [/^sender chef\.bretagne@example\.org is a chef of this département$/, /^sender chef\.bretagne@example\.org is a member of liste\.chefs-56@lists\.example\.org$/],
  },
  {
    list: 'lab-56',
    action: 'subscribe',
    sender: 'chef.capital@example.org',
    decision: 'deny',
    rule: 'otherwise',
    reasons: [/^sender chef\.capital@example\.org is not a chef of this département$/, /^sender chef\.capital@example\.org is not a member of liste\.chefs-56@lists\.example\.org$/],
  },
  // any(): every attribute read is shown, each value once.
  {
    list: 'lab-56',
    action: 'unsubscribe',
    sender: 'gendarme.bretagne@example.org',
    decision: 'allow',
    rule: 1,
    reasons: [/^sender gendarme\.bretagne@example\.org is an officer: title is gendarme$/],
  },
  {
    list: 'lab-56',
    action: 'unsubscribe',
    sender: 'plongeur.sansmail@example.org',
    decision: 'deny',
    rule: 'otherwise',
    reasons: [/^sender plongeur\.sansmail@example\.org is not an officer: no entry in the directory$/],
  },
  // An unlabelled named condition names itself before the labelled ones inside it.
  {
    list: 'lab-56',
    action: 'unsubscribe',
    sender: 'inconnu@example.org',
    decision: 'deny',
    rule: 'otherwise',
    reasons: [/^chef-maison: sender inconnu@example\.org is one of us$/, /^chef-maison: sender inconnu@example\.org is not a chef: no entry in the directory$/],
  },
];

const fixture = fixtureDirectory(300);

describe('reasons of labelled conditions, embedded directory', () => {
  const opened = backend('embedded', fixture.ldif);
  for (const c of CASES) {
    it(caseName(c), async () => {
      const { rights } = rightsOver(opened.directory, { rights: { resolve: (address) => resolver.resolve(address) } });
      await check(rights, c, (name) => resolver.resolve(`${name}@lists.example.org`));
    });
  }
});
