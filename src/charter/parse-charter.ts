import nearley from 'nearley';
import grammar from './generated/charter-grammar.js';
import { CharterError } from './errors.js';
import { SyntaxAtError, type Statement } from './syntax.js';

const compiled = nearley.Grammar.fromCompiled(grammar);

const TOKEN_WORDS: Record<string, string> = {
  word: 'a word',
  string: 'a quoted string',
  rule: 'a <rule> name',
  filter: 'an LDAP filter in parentheses',
  regex: 'a /regular expression/',
  range: 'a range such as 1..95',
};

/** Reads a charter's text into statements; a syntax error names file:line:column and what was expected. */
export function parseCharter(source: string, file: string): Statement[] {
  const parser = new nearley.Parser(compiled);
  // nearley's own message lists every parse state: long, and slow to build. We say it shorter.
  (parser as unknown as { reportError: () => string }).reportError = () => '';
  (parser as unknown as { reportLexerError: () => string }).reportLexerError = () => '';
  try {
    parser.feed(source);
  } catch (error) {
    if (error instanceof SyntaxAtError) throw new CharterError([{ file, ...error.position, message: error.message }]);
    const token = (error as { token?: { line: number; col: number; text: string; type?: string } }).token;
    const position = token ? { line: token.line, col: token.col } : endOf(source);
    const found = !token ? 'this' : token.type === 'error' ? `"${token.text.split('\n')[0]?.slice(0, 20)}"` : `"${token.text}"`;
    throw new CharterError([{ file, ...position, message: `unexpected ${found}; expected ${expected(parser)}` }]);
  }
  const results = parser.results as Statement[][];
  if (results.length === 0) {
    throw new CharterError([{ file, ...endOf(source), message: `unexpected end of file; expected ${expected(parser)}` }]);
  }
  return results[0] as Statement[];
}

/** What the parser could have accepted where it stopped, in words. */
function expected(parser: nearley.Parser): string {
  const table = (parser as unknown as { table: Array<{ states: Array<{ rule: nearley.Rule; dot: number }> }> }).table;
  const column = table[(parser as unknown as { current: number }).current];
  const wants = new Set<string>();
  for (const state of column?.states ?? []) {
    const symbol = state.rule.symbols[state.dot] as { literal?: string; type?: string } | string | undefined;
    if (symbol === undefined || typeof symbol === 'string') continue;
    if (symbol.literal !== undefined) wants.add(`"${symbol.literal}"`);
    else if (symbol.type !== undefined) wants.add(TOKEN_WORDS[symbol.type] ?? symbol.type);
  }
  const list = [...wants].sort();
  return list.length === 0 ? 'nothing more' : list.length === 1 ? (list[0] as string) : `one of ${list.join(', ')}`;
}

function endOf(source: string): { line: number; col: number } {
  const lines = source.split('\n');
  return { line: lines.length, col: (lines[lines.length - 1]?.length ?? 0) + 1 };
}
