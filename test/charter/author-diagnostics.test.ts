/**
 * Where a charter's author is told what is wrong: a placeholder of the description or subject at
 * its own line and column, a filter fragment that lacks its closing parentheses, examples beside other mistakes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CharterError, formatDiagnostic } from '../../src/charter/errors.js';
import { HEADER, family, problems } from './helpers.js';

/** The diagnostics of a charter that must not compile, in French. */
function frenchProblems(text: string): string[] {
  try {
    family(text);
  } catch (error) {
    if (error instanceof CharterError) return error.diagnostics.map((d) => formatDiagnostic(d, 'fr'));
    throw error;
  }
  throw new Error('the charter compiled');
}

describe('a charter check tells its author where', () => {
  it('reports a placeholder of the description or the subject at its own line and column', () => {
    const text = `${HEADER}description "Chefs de {ville}"\nsubject     "[{x}-{dept.label}]"\n<a> ::= 'x' <dept>\n<dept> ::= /[0-9][0-9]/\n`;
    assert.deepEqual(problems(text), [
      'demo.charter:4:23: {ville} names no part of the grammar here (parts: text, a, dept)',
      'demo.charter:5:15: {x} names no part of the grammar here (parts: text, a, dept)',
    ]);
  });

  it('says how many ")" an unclosed filter fragment lacks, in English and in French', () => {
    const rule = `<a> ::= 'x' <b>\n<b> ::= /[0-9]+/ filter (&(l={text})(title=chef)\n`;
    assert.deepEqual(problems(`${HEADER}${rule}`), ['demo.charter:5:25: this LDAP filter is not closed: a ")" is missing']);
    assert.deepEqual(frenchProblems(`${HEADER}${rule}`), ['demo.charter:5:25: ce filtre LDAP n’est pas fermé : il manque une ")"']);
    const twice = `${HEADER}<a> ::= 'x'\nrights send\n  allow if sender matches (&(|(title=chef)(title=adjoint)\n  otherwise deny\n`;
    assert.deepEqual(problems(twice), ['demo.charter:6:27: this LDAP filter is not closed: 2 ")" are missing']);
  });

  it('checks the examples even when the header or the rights are wrong, so that one check reports everything', () => {
    const text = `${HEADER}priority 12\n<a> ::= 'x' <b>\n<b> ::= /[0-9]+/ filter (l={text})\nrights send\n  allow if @nothing\nexample x5 => (l=6)\nrefuse x7\n`;
    assert.deepEqual(problems(text), [
      'demo.charter:4:10: "priority" must be a whole number from 1 to 9',
      'demo.charter:8:13: no condition named "nothing" (define it with: condition nothing = ...)',
      'demo.charter:9:9: x5 compiles to (l=5), not (l=6)',
      'demo.charter:10:8: x7 must be refused, but it is a list: (l=7)',
    ]);
  });
});
