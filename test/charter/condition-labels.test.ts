/**
 * `condition NAME = C label "..."`: the label says what the sender is when C holds ("a chef"), for
 * reasons a list owner reads. Its syntax, where it is kept, how rights describe it, and its errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSharedConditions } from '../../src/charter/compile.js';
import { describeActionRules } from '../../src/charter/describe.js';
import { CharterError } from '../../src/charter/errors.js';
import { loadSharedConditions } from '../../src/charter/load.js';
import { HEADER, family, problems } from './helpers.js';

const GRAMMAR = `${HEADER}<a> ::= 'x'\n`;

const has = (list: string[], pattern: RegExp): void => {
  assert.ok(
    list.some((p) => pattern.test(p)),
    `expected a problem matching ${pattern}, got:\n${list.join('\n')}`,
  );
};

describe('a labelled named condition', () => {
  it('keeps its label on the condition the rules use, and rights describe it', () => {
    const f = family(`${GRAMMAR}condition chef = sender matches (title=chef) label "a chef"\nrights send\n  allow if @chef\n`);
    const condition = f.rights.send.rules[0]?.condition;
    assert.ok(condition?.kind === 'named');
    assert.equal(condition.name, 'chef');
    assert.equal(condition.label, 'a chef');
    assert.equal(condition.condition.kind, 'sender-matches');
    assert.equal(describeActionRules(f.rights.send), "allow if chef (the sender is a chef: the sender's entry matches (title=chef)), otherwise deny");
  });

  it('may follow any condition, on the next line too; its spaces are tidied', () => {
    const f = family(
      `${GRAMMAR}condition staff = any(sender domain in example.org, authenticated)\n  label "  one   of us "\ncondition known = sender in directory\nrights send\n  allow if all(@staff, @known)\n`,
    );
    const [staff, known] = f.rights.send.rules[0]?.condition.kind === 'all' ? f.rights.send.rules[0].condition.conditions : [];
    assert.ok(staff?.kind === 'named' && known?.kind === 'named');
    assert.equal(staff.label, 'one of us');
    assert.equal(known.label, undefined, 'a label is optional');
  });

  it('is allowed in the shared conditions file', () => {
    const shared = compileSharedConditions('conditions.charter', 'condition commandement = sender matches (title=chef) label "a chef"\n');
    assert.equal(shared.get('commandement')?.label, 'a chef');
  });

  it('the shipped commandement (families/conditions.charter) reads "un chef", in French like the liste family that uses it', () => {
    assert.equal(loadSharedConditions('families').get('commandement')?.label, 'un chef');
  });
});

describe('labelled named conditions: errors', () => {
  it('an empty label, at its column', () => {
    has(
      problems(`${GRAMMAR}condition chef = sender matches (title=chef) label " "\n`),
      /^demo\.charter:5:53: the label is empty: say what the sender is when the condition holds, e\.g\. label "a chef"$/,
    );
  });

  it('a label with placeholders: labels of conditions are plain text', () => {
    has(problems(`${GRAMMAR}condition chef = sender matches (title=chef) label "chef of {where}"\n`), /^demo\.charter:5:53: a condition's label is plain text: it has no \{placeholders\}$/);
  });

  it('two labels', () => {
    has(problems(`${GRAMMAR}condition chef = anyone label "a" label "b"\n`), /^demo\.charter:5:35: this condition already has a label$/);
  });

  it('a label without its quoted words', () => {
    has(problems(`${GRAMMAR}condition chef = anyone label chef\n`), /^demo\.charter:5:31: unexpected "chef"; expected a quoted string$/);
  });

  it('a label on a condition written in a rule: only named conditions have one', () => {
    has(problems(`${GRAMMAR}rights send\n  allow if sender matches (title=chef) label "a chef"\n`), /^demo\.charter:6:40: unexpected "label"/);
  });

  it('a shared file with a bad label is refused like a charter', () => {
    assert.throws(
      () => compileSharedConditions('conditions.charter', 'condition chef = anyone label ""\n'),
      (error: unknown) => {
        assert.ok(error instanceof CharterError);
        assert.match(error.message, /conditions\.charter:1:32: the label is empty/);
        return true;
      },
    );
  });
});
