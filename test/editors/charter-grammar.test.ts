import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';
import { charterLexer } from '../../src/charter/lexer.js';
import { PROJECT_ROOT } from '../../src/config/config.js';
import { paintCharter } from '../../src/studio/highlight.js';

const require = createRequire(import.meta.url);
const EDITOR = join(PROJECT_ROOT, 'editors', 'vscode');
const CHARTERS = ['families/liste/liste.charter', 'families/auto/auto.charter', 'families/conditions.charter', 'test/fixtures/families/equipe/equipe.charter'];

/** The scopes of each character of each line, as VS Code would paint them. */
type Painted = string[][][];

let grammar: textmate.IGrammar;

before(async () => {
  await oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns), createOnigString: (text) => new oniguruma.OnigString(text) }),
    loadGrammar: async () => {
      const path = join(EDITOR, 'syntaxes', 'charter.tmLanguage.json');
      return textmate.parseRawGrammar(readFileSync(path, 'utf8'), path);
    },
  });
  const loaded = await registry.loadGrammar('source.autolist-charter');
  assert.ok(loaded, 'the grammar loads');
  grammar = loaded;
});

function paint(text: string): Painted {
  let stack = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    const scopes: string[][] = [];
    for (const token of result.tokens) for (let i = token.startIndex; i < Math.max(token.endIndex, token.startIndex); i++) scopes[i] = token.scopes;
    return scopes;
  });
}

/** Whether every character of a token the compiler read (1-based line and column) is painted with a scope containing `scope`. */
function paintedAs(painted: Painted, line: number, col: number, length: number, scope: string): boolean {
  const row = painted[line - 1] ?? [];
  for (let i = col - 1; i < col - 1 + length; i++) if (!(row[i] ?? []).some((s) => s.includes(scope))) return false;
  return true;
}

/** What the editor must call each kind of token the compiler's own lexer reads. */
const EXPECTED: Record<string, string> = { filter: 'meta.filter', rule: 'entity.name.type.rule', string: 'string.quoted', regex: 'string.regexp', define: 'keyword.operator' };

describe('the charter grammar for editors', () => {
  it('is declared by the VS Code extension for .charter files', () => {
    const manifest = JSON.parse(readFileSync(join(EDITOR, 'package.json'), 'utf8'));
    assert.deepEqual(manifest.contributes.languages[0].extensions, ['.charter']);
    assert.equal(manifest.contributes.grammars[0].scopeName, 'source.autolist-charter');
  });

  for (const file of CHARTERS) {
    it(`paints ${file} as the compiler reads it: filters, rules, strings, token classes, comments`, () => {
      const text = readFileSync(join(PROJECT_ROOT, file), 'utf8');
      const painted = paint(text);
      charterLexer.reset(text);
      let checked = 0;
      for (let token = charterLexer.next(); token; token = charterLexer.next()) {
        const scope = EXPECTED[token.type ?? ''];
        if (scope === undefined) continue;
        assert.ok(paintedAs(painted, token.line, token.col, token.text.length, scope), `${file}:${token.line}:${token.col}: ${token.text} is not painted as ${scope}`);
        checked++;
      }
      assert.ok(checked > 0, `${file}: no token checked`);
      text.split('\n').forEach((line, index) => {
        const comment = /^\s*#/.exec(line);
        if (comment) assert.ok(paintedAs(painted, index + 1, comment[0].length, line.length - comment[0].length + 1, 'comment.line'), `${file}:${index + 1}: comment`);
      });
    });
  }

  it('names the parts of a filter, placeholders included', () => {
    const [line] = paint('<d> ::= /[0-9][0-9]/ filter (&(departmentNumber={text|upper})(!(title=chef)))');
    const at = (text: string): string[] => line?.[`<d> ::= /[0-9][0-9]/ filter (&(departmentNumber={text|upper})(!(title=chef)))`.indexOf(text)] ?? [];
    assert.ok(at('departmentNumber').some((s) => s.startsWith('variable.other.attribute')));
    assert.ok(at('{text|upper}').some((s) => s.startsWith('variable.parameter.placeholder')));
    assert.ok(at('&').some((s) => s.startsWith('keyword.operator.logical')));
    assert.ok(at('chef').some((s) => s.startsWith('string.unquoted.value')));
  });

  it('paints the options of a repetition: its exclusive words and its order, as keywords', () => {
    const text = "<who> ::= <category>+ separated by '.' matching all exclusive civils, militaires in canonical order";
    const [line] = paint(text);
    const at = (word: string): string[] => line?.[text.indexOf(word)] ?? [];
    for (const word of ['separated', 'matching', 'exclusive', 'canonical', 'order'])
      assert.ok(
        at(word).some((s) => s.startsWith('keyword.other')),
        word,
      );
    assert.ok(!at('civils').some((s) => s.startsWith('keyword')));
    // The studio paints them from the compiler's lexer, as keywords too.
    const kinds = new Map(paintCharter(text).map((t) => [text.slice(t.at, t.at + t.length), t.kind]));
    for (const word of ['exclusive', 'in', 'canonical', 'order']) assert.equal(kinds.get(word), 'keyword', word);
    assert.equal(kinds.get('civils'), 'word');
  });

  it('tells header keys, outcomes and named conditions apart', () => {
    const lines = paint('family liste\nrights send\n  allow if @commandement\n  otherwise deny');
    assert.ok(lines[0]?.[0]?.some((s) => s.startsWith('keyword.other.header')));
    assert.ok(lines[1]?.[0]?.some((s) => s.startsWith('keyword.control.rights')));
    assert.ok(lines[2]?.[2]?.some((s) => s.startsWith('keyword.control.outcome')));
    assert.ok(lines[2]?.[11]?.some((s) => s.startsWith('variable.other.condition')));
    assert.ok(lines[3]?.[12]?.some((s) => s.startsWith('keyword.control.outcome')));
  });
});
