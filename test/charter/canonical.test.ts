import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressErrorText } from '../../src/charter/address-messages.js';
import { completions } from '../../src/charter/completions.js';
import { enumerate } from '../../src/charter/enumerate.js';
import { NoSuchListError } from '../../src/charter/errors.js';
import { Resolver } from '../../src/charter/resolver.js';
import { D, shippedResolver } from '../harness/families.js';
import { family, HEADER, problems } from './helpers.js';

const resolver = shippedResolver();

/** The error resolving `address` throws, checked to be a NoSuchListError. */
function refusal(r: Resolver, address: string): NoSuchListError {
  try {
    r.resolve(address);
  } catch (error) {
    assert.ok(error instanceof NoSuchListError, String(error));
    return error;
  }
  assert.fail(`${address} resolved`);
}

const CATEGORIES = ['chefs', 'plongeurs', 'pilotes', 'gendarmes', 'mecaniciens', 'civils', 'militaires'];

/** Whether a local part of liste holds a category twice, civils with militaires, or categories out of the table's order. */
function offendsListe(local: string): boolean {
  const who = /^liste\.([a-z.]+)-/.exec(local)?.[1]?.split('.') ?? [];
  const ranks = who.map((w) => CATEGORIES.indexOf(w));
  if (ranks.includes(-1)) return false;
  return new Set(who).size !== who.length || (who.includes('civils') && who.includes('militaires')) || ranks.some((r, i) => i > 0 && r < (ranks[i - 1] as number));
}

describe('one address per list: the shipped liste', () => {
  it('refuses a category written twice, saying which, in French for the family', () => {
    const error = refusal(resolver, `liste.chefs.chefs-56${D}`);
    assert.equal(error.column, 13);
    assert.match(error.message, /"chefs" is already in the name/);
    assert.equal(
      addressErrorText(error, `liste.chefs.chefs-56${D}`, 'fr'),
      `la liste liste.chefs.chefs-56${D} n’existe pas : à la colonne 13 : « chefs » figure déjà dans le nom (un mot ne s’écrit qu’une fois) (famille liste)`,
    );
    assert.ok(!error.suggestions.some((s) => offendsListe(s)), error.suggestions.join(' '));
    // Wherever the repeated word stands.
    const again = refusal(resolver, `liste.chefs.civils.chefs-56${D}`);
    assert.match(again.message, /column 20: "chefs" is already in the name/);
    assert.deepEqual(again.suggestions, [`liste.chefs.civils-56${D}`], 'the name without the repeated word');
    assert.match(refusal(resolver, `liste.chefs.chefs${D}`).message, /"chefs" is already in the name/);
  });

  it('refuses civils with militaires, a list that could never have members, saying why in French', () => {
    const error = refusal(resolver, `liste.civils.militaires-56${D}`);
    assert.equal(error.column, 14);
    assert.equal(
      addressErrorText(error, `liste.civils.militaires-56${D}`, 'fr'),
      `la liste liste.civils.militaires-56${D} n’existe pas : à la colonne 14 : « militaires » et « civils » s’excluent (un nom en contient un au plus) (famille liste)`,
    );
    assert.deepEqual(error.suggestions, [`liste.civils-56${D}`], 'the name without the excluded word');
    assert.match(refusal(resolver, `liste.chefs.militaires.pilotes.civils-29${D}`).message, /"civils" and "militaires" exclude each other/);
  });

  it('resolves another order of the same categories to the canonical address, the order column first', () => {
    const canonical = resolver.resolve(`liste.chefs.civils-56${D}`);
    assert.equal(canonical.address, `liste.chefs.civils-56${D}`);
    for (const other of ['liste.civils.chefs-56', 'LISTE.Civils.Chefs-56']) {
      const list = resolver.resolve(other + D);
      assert.equal(list.address, `liste.chefs.civils-56${D}`, other);
      assert.equal(list.name, 'liste.chefs.civils-56');
      assert.equal(list.filterText, canonical.filterText);
      assert.equal(list.description, 'Chefs civils du département 56');
      assert.equal(list.subject, '[chefs.civils-56]');
      assert.deepEqual(list.params, canonical.params);
    }
    // Within one order, the table's line order: pilotes (line 4) before gendarmes (line 5).
    assert.equal(resolver.resolve(`liste.militaires.gendarmes.pilotes-29${D}`).address, `liste.pilotes.gendarmes.militaires-29${D}`);
  });

  it('completes only canonical names: no category twice, no civils with militaires, no other order', () => {
    const offered = (partial: string): string[] => completions(resolver, partial, 200).map((c) => c.address);
    assert.ok(!offered('liste.chefs.').includes('liste.chefs.chefs'));
    assert.ok(offered('liste.chefs.').includes('liste.chefs.civils'));
    assert.deepEqual(offered('liste.civils.'), [], 'every category after civils is refused or out of order');
    assert.deepEqual(offered('liste.militaires'), ['liste.militaires-']);
    for (const partial of ['liste.', 'liste.chefs', 'liste.chefs.', 'liste.chefs.civils', 'liste.pilotes.', 'liste.chefs.chefs', 'liste.civils.chefs-5', 'liste.civils.chefs-56']) {
      for (const address of offered(partial)) {
        assert.ok(!offendsListe(address.split('@')[0] as string), `${partial}: ${address}`);
        if (address.includes('@')) assert.equal(resolver.resolve(address).address, address);
      }
    }
    assert.deepEqual(offered('liste.civils.chefs-56'), [], 'a name in another order is not offered');
  });

  it('enumerates only canonical names', () => {
    const names: string[] = [];
    for (const name of enumerate(resolver.family('liste')!).names) {
      names.push(name);
      if (names.length >= 6000) break;
    }
    assert.ok(names.includes('liste.chefs.civils-56'));
    assert.ok(!names.includes('liste.civils.chefs-56'));
    for (const name of names) assert.ok(!offendsListe(name), name);
  });
});

describe('one address per list: a charter that refuses other orders', () => {
  const strict = new Resolver([
    family(`${HEADER}<a> ::= 'l.' <x>+ separated by '.' in canonical order exclusive jour, nuit\n<x> ::= table t\n`, {
      t: 'token\tfilter\tlabel\torder\nnuit\t(shift=night)\tde nuit\t2\njour\t(shift=day)\tde jour\t2\nchefs\t(title=chef)\tchefs\t1\n',
    }),
  ]);

  it('refuses another order, with the canonical address as its only suggestion ("did you mean")', () => {
    const error = refusal(strict, `l.nuit.chefs${D}`);
    assert.equal(error.column, 8);
    assert.match(error.message, /not in the charter's order \(the list's name is l\.chefs\.nuit\)/);
    assert.deepEqual(error.suggestions, [`l.chefs.nuit${D}`]);
    assert.equal(
      addressErrorText(error, `l.nuit.chefs${D}`, 'fr'),
      `la liste l.nuit.chefs${D} n’existe pas : à la colonne 8 : les mots ne sont pas dans l’ordre du nom de la liste, l.chefs.nuit${D} (famille demo)`,
    );
    assert.equal(strict.resolve(`l.chefs.nuit${D}`).filterText, '(&(title=chef)(shift=night))');
  });

  it('ranks by the order column before the line: chefs (order 1) comes before jour and nuit', () => {
    assert.deepEqual(refusal(strict, `l.jour.chefs${D}`).suggestions, [`l.chefs.jour${D}`]);
    assert.match(refusal(strict, `l.jour.nuit${D}`).message, /"nuit" and "jour" exclude each other/);
    assert.deepEqual(
      completions(strict, 'l.chefs.', 20).map((c) => c.address),
      [`l.chefs.jour${D}`, `l.chefs.nuit${D}`],
    );
    assert.deepEqual(completions(strict, 'l.jour.', 20), []);
  });
});

describe('one address per list: checking a charter', () => {
  it('places exclusive words that the repetition does not read, or twice, and an order given twice', () => {
    assert.deepEqual(problems(`${HEADER}<a> ::= 'l.' <x>+ separated by '.'\n  exclusive y, q, y\n<x> ::= 'y' | 'z'\n`), [
      'demo.charter:5:16: "q" is not a word the repeated part reads (it reads y, z)',
      'demo.charter:5:19: "y" is already in this exclusive set',
    ]);
    assert.deepEqual(problems(`${HEADER}<a> ::= 'l.' <x>+ in canonical order in any order\n<x> ::= 'y' | 'z'\n`), ['demo.charter:4:38: the order of this repetition is given twice']);
  });

  it('wants examples written canonically, and refusals of a word twice and of excluded words', () => {
    const text = `${HEADER}<a> ::= 'l.' <x>+ separated by '.' exclusive y, z\n<x> ::= 'y' | 'z' | 'w'\n`;
    assert.deepEqual(problems(`${text}example l.w.y => (objectClass=*)\n`), ['demo.charter:6:9: l.w.y is the list l.y.w: write its canonical name']);
    assert.doesNotThrow(() => family(`${text}example l.y.w => (objectClass=*)\nrefuse l.y.y\nrefuse l.z.y\n`));
  });
});
