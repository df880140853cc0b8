import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { autolist } from '../harness/cli.js';
import { familiesWith } from '../harness/families.js';

const FRENCH = { LANG: 'fr_FR.UTF-8' };
const ENGLISH = { LANG: 'C' };

/** `file:line:col` of each diagnostic line of `autolist check`, and its words. */
function diagnostics(stderr: string): Array<{ at: string; words: string }> {
  return [...stderr.matchAll(/^ {2}(\S+:\d+:\d+): (.*)$/gm)].map((m) => ({ at: m[1] as string, words: m[2] as string }));
}

describe('autolist speaks the language of LANG', () => {
  it('check: the same problems at the same places, in French or in English', async () => {
    const families = familiesWith();
    try {
      writeFileSync(
        families.liste,
        `family liste\ndomain lists.example.org\nbase "dc=example,dc=org"\nscope deep\n<address> ::= 'liste.' <who> filter (ti tle=x)\n<unused> ::= 'x'\nrights post\n  otherwise allow\n`,
      );
      const dir = join(families.dir, 'liste');
      const [french, english] = [await autolist(['check', dir], FRENCH), await autolist(['check', dir], ENGLISH)];
      assert.equal(french.code, 1);
      assert.equal(english.code, 1);
      const [fr, en] = [diagnostics(french.stderr), diagnostics(english.stderr)];
      assert.equal(fr.length, 7, french.stderr);
      assert.deepEqual(
        fr.map((d) => d.at),
        en.map((d) => d.at),
      );
      const at = (line: number, col: number): string => `${families.liste}:${line}:${col}`;
      const unused = (table: string): string => `${join(dir, `${table}.tsv`)}:1:1`;
      assert.deepEqual(en, [
        { at: at(4, 7), words: 'scope must be one of base, one, sub' },
        { at: at(5, 24), words: '<who> is used but not defined' },
        { at: at(5, 40), words: 'invalid LDAP filter at column 4: expected "=", "~=", ">=" or "<=" after "ti"' },
        { at: at(6, 1), words: '<unused> is defined but never used (the first rule, <address>, is the address)' },
        { at: unused('categories'), words: 'the lexicon "categories" is never used by a "table categories"' },
        { at: unused('regions'), words: 'the lexicon "regions" is never used by a "table regions"' },
        { at: at(7, 8), words: 'unknown action "post" (actions: send, review, subscribe, unsubscribe)' },
      ]);
      assert.deepEqual(fr, [
        { at: at(4, 7), words: 'scope doit valoir base, one ou sub' },
        { at: at(5, 24), words: '<who> est utilisée mais pas définie' },
        { at: at(5, 40), words: 'filtre LDAP invalide à la colonne 4 : opérateur "=", "~=", ">=" ou "<=" attendu après "ti"' },
        { at: at(6, 1), words: '<unused> est définie mais jamais utilisée (la première règle, <address>, est l’adresse)' },
        { at: unused('categories'), words: 'le lexique "categories" n’est utilisé par aucun "table categories"' },
        { at: unused('regions'), words: 'le lexique "regions" n’est utilisé par aucun "table regions"' },
        { at: at(7, 8), words: 'action inconnue "post" (actions : send, review, subscribe, unsubscribe)' },
      ]);
      assert.match(english.stderr, /^FAIL {2}/m);
      assert.match(french.stderr, /^ÉCHEC /m);
      assert.match(english.stdout, /0 of 1 families compiled in \d+ ms/);
      assert.match(french.stdout, /0 famille sur 1 compilée en \d+ ms/);
    } finally {
      families.dispose();
    }
  });

  it('resolve: where a name goes wrong and close names, in French or in English; the JSON alike', async () => {
    const address = 'liste.chfs-56@lists.example.org';
    const [french, english] = [await autolist(['resolve', address], FRENCH), await autolist(['resolve', address], ENGLISH)];
    assert.equal(french.code, 1);
    assert.equal(english.code, 1);
    assert.match(english.stderr, /^autolist resolve: no such list liste\.chfs-56@lists\.example\.org: at column 9, found "f", expected .* \(family liste\)$/m);
    assert.match(english.stderr, /^did you mean: liste\.chefs-56@lists\.example\.org.*\?$/m);
    assert.match(french.stderr, /^autolist resolve: la liste liste\.chfs-56@lists\.example\.org n’existe pas : à la colonne 9, .* "f" trouvé \(famille liste\)$/m);
    assert.match(french.stderr, /^vouliez-vous dire : liste\.chefs-56@lists\.example\.org.* \?$/m);
    const [frJson, enJson] = [await autolist(['resolve', '--json', address], FRENCH), await autolist(['resolve', '--json', address], ENGLISH)];
    assert.equal(frJson.code, 1);
    assert.deepEqual(JSON.parse(frJson.stdout), JSON.parse(enJson.stdout));
    assert.equal(JSON.parse(frJson.stdout).code, 'NO_SUCH_LIST');
    const domain = await autolist(['resolve', 'x@nowhere.example'], FRENCH);
    assert.match(domain.stderr, /^autolist resolve: aucune famille de listes ne sert le domaine nowhere\.example \(domaines servis : lists\.example\.org\)$/m);
  });

  it('usage errors: in French under a French LANG, LC_ALL first', async () => {
    const french = await autolist(['enumerate'], { LANG: 'C', LC_ALL: 'fr_FR.UTF-8' });
    assert.equal(french.code, 2);
    assert.match(french.stderr, /^autolist enumerate: enumerate prend un seul FAMILY$/m);
    const english = await autolist(['enumerate', 'nothing'], ENGLISH);
    assert.equal(english.code, 1);
    assert.match(english.stderr, /^autolist: no family "nothing" \(families: auto, liste\)$/m);
    assert.match((await autolist(['frobnicate'], FRENCH)).stderr, /^autolist: commande inconnue "frobnicate"$/m);
  });
});
