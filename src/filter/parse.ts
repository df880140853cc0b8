import type { Filter } from 'ldapts';
import { AutolistError } from '../errors.js';
import { type FilterMessage, inEnglish } from './messages.js';
import { instantiate, isPlaceholder, readPlaceholder, type FilterTemplate, type Placeholder, type ValueTemplate } from './template.js';

/** A filter that is not valid RFC 4515 text; `offset` is the 0-based position of the fault. */
export class FilterSyntaxError extends AutolistError {
  readonly code = 'FILTER_SYNTAX';
  readonly temporary = false;
  /** What is wrong, for a reader in any language. */
  readonly explanation: FilterMessage;

  constructor(
    readonly reason: FilterMessage,
    readonly offset: number,
    readonly text: string,
  ) {
    const explanation: FilterMessage = { key: 'filter.invalid', values: { column: offset + 1, reason } };
    super(inEnglish(explanation));
    this.explanation = explanation;
  }
}

const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9-]*(?:;[A-Za-z0-9-]+)*|^[0-9]+(?:\.[0-9]+)*(?:;[A-Za-z0-9-]+)*/;

/**
 * Parses RFC 4515 filter text. With `placeholders`, `{part}`, `{part.field}` and `{part|upper}`
 * in assertion values are holes (a literal brace is written `\7b`); without, braces are plain text.
 * Hex escapes (`\c3\a9`) are decoded as UTF-8.
 */
export function parseFilterTemplate(text: string, options: { placeholders: boolean }): FilterTemplate {
  const parser = new TemplateParser(text, options.placeholders);
  const template = parser.filter();
  if (parser.pos !== text.length) parser.fail({ key: 'filter.text-after-end' });
  return template;
}

/** Parses filter text with no placeholders into an ldapts Filter. */
export function parseFilter(text: string): Filter {
  return instantiate(parseFilterTemplate(text, { placeholders: false }), () => '');
}

class TemplateParser {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly placeholders: boolean,
  ) {}

  fail(reason: FilterMessage, at = this.pos): never {
    throw new FilterSyntaxError(reason, at, this.text);
  }

  private expect(ch: string): void {
    if (this.text[this.pos] !== ch) {
      const found: FilterMessage | string = this.pos < this.text.length ? JSON.stringify(this.text[this.pos]) : { key: 'filter.the-end' };
      this.fail({ key: 'filter.expected-character', values: { expected: ch, found } });
    }
    this.pos++;
  }

  filter(): FilterTemplate {
    this.expect('(');
    const ch = this.text[this.pos];
    let result: FilterTemplate;
    if (ch === '&' || ch === '|') {
      this.pos++;
      const filters: FilterTemplate[] = [];
      while (this.text[this.pos] === '(') filters.push(this.filter());
      if (filters.length === 0) this.fail({ key: 'filter.empty-set', values: { operator: ch } });
      result = { op: ch === '&' ? 'and' : 'or', filters };
    } else if (ch === '!') {
      this.pos++;
      result = { op: 'not', filter: this.filter() };
    } else {
      result = this.item();
    }
    this.expect(')');
    return result;
  }

  private item(): FilterTemplate {
    const match = ATTRIBUTE.exec(this.text.slice(this.pos));
    if (!match) this.fail({ key: 'filter.expected-attribute' });
    const attribute = match[0];
    this.pos += attribute.length;
    const rest = this.text.slice(this.pos);
    let op: 'equal' | 'approx' | 'ge' | 'le';
    if (rest.startsWith('~=')) op = 'approx';
    else if (rest.startsWith('>=')) op = 'ge';
    else if (rest.startsWith('<=')) op = 'le';
    else if (rest.startsWith('=')) op = 'equal';
    else if (rest.startsWith(':')) this.fail({ key: 'filter.extensible-match' });
    else this.fail({ key: 'filter.expected-operator', values: { attribute } });
    this.pos += op === 'equal' ? 1 : 2;
    const pieces = this.valuePieces();
    if (op !== 'equal') {
      if (pieces.length > 1) this.fail({ key: 'filter.star-outside-equality' });
      return { op, attribute, value: pieces[0] ?? [] };
    }
    if (pieces.length === 1) return { op, attribute, value: pieces[0] ?? [] };
    if (pieces.length === 2 && isEmpty(pieces[0]) && isEmpty(pieces[1])) return { op: 'present', attribute };
    const initial = pieces[0] ?? [];
    const final = pieces[pieces.length - 1] ?? [];
    const any = pieces.slice(1, -1);
    if (any.some(isEmpty)) this.fail({ key: 'filter.double-star' });
    return { op: 'substring', attribute, initial, any, final };
  }

  /** The assertion value, split at unescaped `*`. */
  private valuePieces(): ValueTemplate[] {
    const pieces: ValueTemplate[] = [[]];
    let bytes: number[] = [];
    const current = (): ValueTemplate => pieces[pieces.length - 1] as ValueTemplate;
    const flushBytes = (): void => {
      if (bytes.length === 0) return;
      // ignoreBOM: a value whose bytes begin with U+FEFF keeps it (the decoder would drop it as a byte order mark).
      const decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      try {
        appendText(current(), decoded.decode(new Uint8Array(bytes)));
      } catch {
        this.fail({ key: 'filter.hex-not-utf8' });
      }
      bytes = [];
    };
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos] as string;
      if (ch === ')') break;
      if (ch === '(') this.fail({ key: 'filter.unescaped-parenthesis' });
      if (ch === '\0') this.fail({ key: 'filter.nul' });
      if (ch === '\\') {
        const hex = this.text.slice(this.pos + 1, this.pos + 3);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) this.fail({ key: 'filter.bad-escape' });
        bytes.push(parseInt(hex, 16));
        this.pos += 3;
        continue;
      }
      flushBytes();
      if (ch === '*') {
        pieces.push([]);
        this.pos++;
      } else if (ch === '{' && this.placeholders) {
        current().push(this.placeholder());
      } else {
        appendText(current(), ch);
        this.pos++;
      }
    }
    flushBytes();
    return pieces;
  }

  private placeholder(): Placeholder {
    const read = readPlaceholder(this.text, this.pos);
    if (!isPlaceholder(read)) this.fail({ key: 'filter.literal-brace', values: { problem: read } });
    this.pos += read.source.length;
    return read;
  }
}

function appendText(value: ValueTemplate, text: string): void {
  const last = value.length - 1;
  if (typeof value[last] === 'string') value[last] = (value[last] as string) + text;
  else value.push(text);
}

function isEmpty(value: ValueTemplate | undefined): boolean {
  return value === undefined || value.length === 0 || (value.length === 1 && value[0] === '');
}
