import { charterTokens } from '../charter/lexer.js';

/** What a stretch of a charter is, for painting: the compiler's own lexer decides. */
export type TokenKind = 'comment' | 'key' | 'keyword' | 'word' | 'rule' | 'string' | 'regex' | 'range' | 'filter' | 'operator' | 'punctuation' | 'error';

/** A painted stretch: `at` and `length` in UTF-16 code units of the text, as a textarea counts. */
export interface PaintedToken {
  at: number;
  length: number;
  kind: TokenKind;
}

/** The words of the charter language (grammar/charter.ne) that are not names. */
const KEYWORDS = new Set(
  'all allow any anyone authenticated by canonical closed condition deny dkim dmarc empty example exclusive filter if in label matches matching member moderate not of order otherwise refuse rights sender separated spf table'.split(
    ' ',
  ),
);

const KINDS: Record<string, TokenKind> = {
  comment: 'comment',
  rule: 'rule',
  string: 'string',
  regex: 'regex',
  range: 'range',
  filter: 'filter',
  define: 'operator',
  arrow: 'operator',
  error: 'error',
};

/** The charter's tokens, each with its kind: a word starting a line is a header key, a word of the language a keyword. */
export function paintCharter(text: string): PaintedToken[] {
  return charterTokens(text).map((token) => ({ at: token.offset, length: token.text.length, kind: kindOf(token.type ?? 'error', token.value, token.col) }));
}

function kindOf(type: string, value: string, col: number): TokenKind {
  if (type === 'word') return KEYWORDS.has(value) ? 'keyword' : col === 1 ? 'key' : 'word';
  if (type === 'punct') return value === '|' || value === '+' || value === '=' ? 'operator' : 'punctuation';
  return KINDS[type] ?? 'word';
}
