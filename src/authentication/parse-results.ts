import type { AuthenticationResults, AuthenticationResultsEntry } from './types.js';

/**
 * A reader of Authentication-Results header values (RFC 8601 section 2.2): comments (nested) and
 * quoted strings are understood; anything else malformed makes the whole value unusable, since a
 * header nobody can read vouches for nothing. One pass over at most MAX_VALUE_LENGTH characters,
 * so hostile values cost little time and memory.
 */

/** Longer values are not read: real ones are a few hundred characters. */
export const MAX_VALUE_LENGTH = 16 * 1024;
/** Results read from one header; more make it unusable. */
export const MAX_RESULTS = 64;

class Malformed extends Error {}

/** A keyword (RFC 8601: method, result, ptype, property): letters, digits, '-' and '_'. */
const KEYWORD = /[A-Za-z0-9_-]/;
/** Characters that end an unquoted value. */
const VALUE_END = /[\s;()"]/;

class Cursor {
  private index = 0;
  constructor(private readonly text: string) {}

  get done(): boolean {
    return this.index >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.index];
  }

  /** Skips folding white space and comments, nested ones included (RFC 5322 CFWS). */
  skipSpace(): void {
    let depth = 0;
    for (; this.index < this.text.length; this.index++) {
      const c = this.text[this.index]!;
      if (c === '(') depth++;
      else if (c === ')' && depth > 0) depth--;
      // A quoted-pair in a comment: the next character is text, whatever it is.
      else if (c === '\\' && depth > 0) this.index++;
      else if (depth === 0 && !/\s/.test(c)) return;
    }
    if (depth > 0) throw new Malformed('unclosed comment');
  }

  expect(c: string): void {
    this.skipSpace();
    if (this.text[this.index] !== c) throw new Malformed(`expected ${c}`);
    this.index++;
  }

  keyword(): string {
    this.skipSpace();
    const start = this.index;
    while (this.index < this.text.length && KEYWORD.test(this.text[this.index]!)) this.index++;
    if (this.index === start) throw new Malformed('expected a keyword');
    return this.text.slice(start, this.index).toLowerCase();
  }

  /** A quoted string (unquoted, escapes resolved) or a run of characters up to space, ';' or a comment. */
  value(): string {
    this.skipSpace();
    if (this.text[this.index] === '"') return this.quoted();
    const start = this.index;
    while (this.index < this.text.length && !VALUE_END.test(this.text[this.index]!)) this.index++;
    if (this.index === start) throw new Malformed('expected a value');
    return this.text.slice(start, this.index);
  }

  private quoted(): string {
    let value = '';
    for (this.index++; this.index < this.text.length; this.index++) {
      const c = this.text[this.index]!;
      if (c === '"') {
        this.index++;
        return value;
      }
      if (c === '\\') this.index++;
      value += this.text[this.index] ?? '';
    }
    throw new Malformed('unclosed quoted string');
  }

  /** Skips an authres-version (digits) when one follows the authserv-id. */
  skipVersion(): void {
    this.skipSpace();
    const match = /^\d+/.exec(this.text.slice(this.index, this.index + 10));
    if (match) this.index += match[0].length;
  }
}

/** One `method=result property=value...`; undefined for `none` (no method was applied). */
function resinfo(cursor: Cursor): AuthenticationResultsEntry | undefined {
  const method = cursor.keyword();
  cursor.skipSpace();
  if (method === 'none' && (cursor.done || cursor.peek() === ';')) return undefined;
  if (cursor.peek() === '/') {
    cursor.expect('/');
    cursor.keyword();
  }
  cursor.expect('=');
  const entry: AuthenticationResultsEntry = { method, result: cursor.keyword(), properties: {} };
  for (cursor.skipSpace(); !cursor.done && cursor.peek() !== ';'; cursor.skipSpace()) {
    const name = cursor.keyword();
    if (name === 'reason') {
      cursor.expect('=');
      entry.reason = cursor.value();
      continue;
    }
    cursor.expect('.');
    const property = cursor.keyword();
    cursor.expect('=');
    entry.properties[`${name}.${property}`] = cursor.value();
  }
  return entry;
}

/**
 * Parses an Authentication-Results header value (without the field name): its authserv-id and
 * results. Undefined when the value is malformed or too large: such a header must not be believed.
 */
export function parseAuthenticationResults(value: string): AuthenticationResults | undefined {
  if (value.length > MAX_VALUE_LENGTH) return undefined;
  const cursor = new Cursor(value);
  try {
    const authservId = cursor.value().toLowerCase();
    cursor.skipVersion();
    const results: AuthenticationResultsEntry[] = [];
    let none = false;
    for (cursor.skipSpace(); !cursor.done; cursor.skipSpace()) {
      cursor.expect(';');
      cursor.skipSpace();
      if (cursor.done) break;
      const entry = resinfo(cursor);
      // `none` stands alone.
      if (none || (entry === undefined && results.length > 0)) throw new Malformed('none among results');
      if (entry === undefined) none = true;
      else if (results.push(entry) > MAX_RESULTS) return undefined;
    }
    return { authservId, results };
  } catch (error) {
    if (error instanceof Malformed) return undefined;
    throw error;
  }
}
