import moo from 'moo';

/** A filter in parentheses, balanced up to a nesting depth far beyond what charters use. */
function balancedParentheses(depth: number): RegExp {
  const plain = String.raw`[^()\\\n]|\\.`;
  let level = String.raw`\((?:${plain})*\)`;
  for (let i = 1; i < depth; i++) level = String.raw`\((?:${plain}|${level})*\)`;
  return new RegExp(level);
}

const WORD_END = '(?![A-Za-z0-9_.@-])';

/**
 * The charter tokens. After `filter`, `matches` and `=>` comes an LDAP filter, read whole as one
 * token (its own parser checks it); elsewhere parentheses are punctuation.
 */
const lexer = moo.states({
  main: {
    ws: /[ \t]+/,
    nl: { match: /\r?\n/, lineBreaks: true },
    comment: /#[^\n]*/,
    define: '::=',
    arrow: { match: '=>', push: 'filter' },
    filterKeyword: { match: new RegExp(`(?:filter|matches)${WORD_END}`), push: 'filter', type: () => 'word' },
    rule: /<[A-Za-z_][A-Za-z0-9_-]*>/,
    string: /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/,
    regex: /\/(?:[^/\\\n]|\\.)+\//,
    range: /[0-9]+\.\.[0-9]+/,
    word: /[A-Za-z0-9_][A-Za-z0-9_.@-]*/,
    punct: ['|', '[', ']', '(', ')', ',', ':', '+', '=', '@'],
    error: moo.error,
  },
  filter: {
    ws: /[ \t]+/,
    filter: { match: balancedParentheses(8), pop: 1 },
    error: moo.error,
  },
});

const SKIPPED = new Set(['ws', 'nl', 'comment']);

/** The moo lexer with blanks, line ends and comments dropped, as nearley wants it. */
export const charterLexer = {
  reset(chunk: string, state?: moo.LexerState): void {
    lexer.reset(chunk, state);
  },
  next(): moo.Token | undefined {
    let token = lexer.next();
    while (token && SKIPPED.has(token.type ?? '')) token = lexer.next();
    return token;
  },
  save: (): moo.LexerState => lexer.save(),
  formatError: (token: moo.Token, message?: string): string => lexer.formatError(token, message),
  has: (name: string): boolean => lexer.has(name),
};

/** Every token of a charter, comments included (blanks and line ends left out), for highlighting; an `error` token holds the rest of the text. */
export function charterTokens(text: string): moo.Token[] {
  lexer.reset(text);
  return [...lexer].filter((token) => token.type !== 'ws' && token.type !== 'nl');
}
