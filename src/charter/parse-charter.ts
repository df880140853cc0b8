import nearley from 'nearley';
import grammar from './generated/charter-grammar.js';
import { CharterError, diagnostic } from './errors.js';
import type { CharterMessage, CharterMessageKey } from './messages.js';
import { SyntaxAtError, type Statement } from './syntax.js';

const compiled = nearley.Grammar.fromCompiled(grammar);

/** The lexer's token types in words, in the order a message lists them (after quoted keywords). */
const TOKEN_WORDS = new Map<string, CharterMessageKey>([
  ['regex', 'syntax.token.regex'],
  ['rule', 'syntax.token.rule'],
  ['string', 'syntax.token.string'],
  ['range', 'syntax.token.range'],
  ['word', 'syntax.token.word'],
  ['filter', 'syntax.token.filter'],
]);

/** Reads a charter's text into statements; a syntax error names file:line:column and what was expected. */
export function parseCharter(source: string, file: string): Statement[] {
  const parser = new nearley.Parser(compiled);
  // nearley's own message lists every parse state: long, and slow to build. We say it shorter.
  (parser as unknown as { reportError: () => string }).reportError = () => '';
  (parser as unknown as { reportLexerError: () => string }).reportLexerError = () => '';
  try {
    parser.feed(source);
  } catch (error) {
    if (error instanceof SyntaxAtError) throw new CharterError([diagnostic(file, error.position, error.explanation)]);
    const token = (error as { token?: { line: number; col: number; text: string; type?: string } }).token;
    const position = token ? { line: token.line, col: token.col } : endOf(source);
    const unclosed = token?.type === 'error' ? unclosedParentheses(token.text) : 0;
    if (unclosed > 0) throw new CharterError([diagnostic(file, position, { key: 'syntax.filter-unclosed', values: { count: unclosed } })]);
    const found: string | CharterMessage = !token ? { key: 'syntax.this' } : token.type === 'error' ? `"${token.text.split('\n')[0]?.slice(0, 20)}"` : `"${token.text}"`;
    throw new CharterError([diagnostic(file, position, { key: 'syntax.unexpected', values: { found, expected: expected(parser) } })]);
  }
  const results = parser.results as Statement[][];
  if (results.length === 0) {
    throw new CharterError([diagnostic(file, endOf(source), { key: 'syntax.unexpected-end', values: { expected: expected(parser) } })]);
  }
  return results[0] as Statement[];
}

/** What the parser could have accepted where it stopped: quoted keywords, then kinds of token. */
function expected(parser: nearley.Parser): string | CharterMessage {
  const table = (parser as unknown as { table: Array<{ states: Array<{ rule: nearley.Rule; dot: number }> }> }).table;
  const column = table[(parser as unknown as { current: number }).current];
  const literals = new Set<string>();
  const types = new Set<string>();
  for (const state of column?.states ?? []) {
    const symbol = state.rule.symbols[state.dot] as { literal?: string; type?: string } | string | undefined;
    if (symbol === undefined || typeof symbol === 'string') continue;
    if (symbol.literal !== undefined) literals.add(`"${symbol.literal}"`);
    else if (symbol.type !== undefined) types.add(symbol.type);
  }
  const words = [...TOKEN_WORDS].filter(([type]) => types.has(type)).map(([, key]): CharterMessage => ({ key }));
  const others = [...types].filter((type) => !TOKEN_WORDS.has(type)).sort();
  const list = [...[...literals].sort(), ...others, ...words];
  if (list.length === 0) return { key: 'nothing-more' };
  return list.length === 1 ? (list[0] as string | CharterMessage) : { key: 'one-of', values: { items: list } };
}

/**
 * How many `)` a filter fragment the lexer could not read lacks: the fragment ends with its line
 * (a filter never spans lines); 0 when it is no filter or its parentheses balance.
 */
function unclosedParentheses(rest: string): number {
  const line = rest.split('\n')[0] ?? '';
  if (!line.startsWith('(')) return 0;
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '(') depth++;
    else if (line[i] === ')' && depth > 0) depth--;
  }
  return depth;
}

function endOf(source: string): { line: number; col: number } {
  const lines = source.split('\n');
  return { line: lines.length, col: (lines[lines.length - 1]?.length ?? 0) + 1 };
}
