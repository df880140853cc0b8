import { AndFilter, ApproximateFilter, EqualityFilter, GreaterThanEqualsFilter, LessThanEqualsFilter, NotFilter, OrFilter, PresenceFilter, SubstringFilter, type Filter } from 'ldapts';
import { type FilterMessage, inEnglish } from './messages.js';

/**
 * A filter with holes: the shape of an RFC 4515 filter whose assertion values may contain
 * placeholders (`{text}`, `{town}`, `{region.label|upper}`). Holes are filled with raw text and
 * the result is an ldapts Filter AST, whose printing escapes every value: text that came from an
 * address is never spliced into filter syntax.
 */
export type FilterTemplate =
  | { op: 'and' | 'or'; filters: FilterTemplate[] }
  | { op: 'not'; filter: FilterTemplate }
  | { op: 'present'; attribute: string }
  | { op: 'equal' | 'approx' | 'ge' | 'le'; attribute: string; value: ValueTemplate }
  | { op: 'substring'; attribute: string; initial: ValueTemplate; any: ValueTemplate[]; final: ValueTemplate };

/** Literal text and placeholders, in order. */
export type ValueTemplate = Array<string | Placeholder>;

export const TRANSFORMS = ['upper', 'lower', 'capitalize', 'title'] as const;
export type Transform = (typeof TRANSFORMS)[number];

export interface Placeholder {
  /** The part named: `text` (what this alternative matched) or the name of a rule. */
  part: string;
  /** `label`, `text` or a lexicon column; absent means the matched text. */
  field?: string;
  transforms: Transform[];
  /** The placeholder as written, for messages. */
  source: string;
}

/** The raw (unescaped) text of one placeholder, before its transforms. */
export type PlaceholderValue = (placeholder: Placeholder) => string;

export function fillValue(value: ValueTemplate, fill: PlaceholderValue): string {
  let text = '';
  for (const piece of value) text += typeof piece === 'string' ? piece : applyTransforms(fill(piece), piece.transforms);
  return text;
}

export function applyTransforms(text: string, transforms: readonly Transform[]): string {
  let out = text;
  for (const t of transforms) {
    if (t === 'upper') out = out.toUpperCase();
    else if (t === 'lower') out = out.toLowerCase();
    else if (t === 'capitalize') out = out.charAt(0).toUpperCase() + out.slice(1);
    else out = titleCase(out);
  }
  return out;
}

/** Little words a place name keeps in lower case but at its start: Saint-Malo, La Roche-sur-Yon, Villeneuve-d’Ascq. */
const PARTICLES = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'sur', 'sous', 'en', 'et', 'lès', 'lez', 'aux', 'au', 'of', 'the', 'on', 'upon']);

/** A place name's case: each word capitalised but the particles inside it; words are split at spaces, hyphens and apostrophes. */
function titleCase(text: string): string {
  return text.replace(/[\p{L}\p{N}]+/gu, (word, offset: number) => {
    const lower = word.toLowerCase();
    if (offset > 0 && PARTICLES.has(lower)) return lower;
    // d' and l' before a word (Villeneuve-d'Ascq) stay lower case too.
    if (offset > 0 && (lower === 'd' || lower === 'l') && /['’]/.test(text.charAt(offset + word.length))) return lower;
    return lower.charAt(0).toUpperCase() + lower.slice(1);
  });
}

/** Builds the ldapts Filter a template stands for, filling its holes. */
export function instantiate(template: FilterTemplate, fill: PlaceholderValue): Filter {
  switch (template.op) {
    case 'and':
      return new AndFilter({ filters: template.filters.map((f) => instantiate(f, fill)) });
    case 'or':
      return new OrFilter({ filters: template.filters.map((f) => instantiate(f, fill)) });
    case 'not':
      return new NotFilter({ filter: instantiate(template.filter, fill) });
    case 'present':
      return new PresenceFilter({ attribute: template.attribute });
    case 'equal':
      return new EqualityFilter({ attribute: template.attribute, value: fillValue(template.value, fill) });
    case 'approx':
      return new ApproximateFilter({ attribute: template.attribute, value: fillValue(template.value, fill) });
    case 'ge':
      return new GreaterThanEqualsFilter({ attribute: template.attribute, value: fillValue(template.value, fill) });
    case 'le':
      return new LessThanEqualsFilter({ attribute: template.attribute, value: fillValue(template.value, fill) });
    case 'substring':
      return new SubstringFilter({
        attribute: template.attribute,
        initial: fillValue(template.initial, fill),
        any: template.any.map((v) => fillValue(v, fill)),
        final: fillValue(template.final, fill),
      });
  }
}

/** Every placeholder of a template, for compile-time checks. */
export function placeholdersOf(template: FilterTemplate): Placeholder[] {
  switch (template.op) {
    case 'and':
    case 'or':
      return template.filters.flatMap(placeholdersOf);
    case 'not':
      return placeholdersOf(template.filter);
    case 'present':
      return [];
    case 'substring':
      return [template.initial, ...template.any, template.final].flatMap(holes);
    default:
      return holes(template.value);
  }
}

function holes(value: ValueTemplate): Placeholder[] {
  return value.filter((p): p is Placeholder => typeof p !== 'string');
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_-]*)(?:\.([A-Za-z_][A-Za-z0-9_-]*))?((?:\|[a-z]+)*)\}/y;

/** Reads the placeholder that starts at `pos` (`{part}`, `{part.field}`, `{part|upper}`), or says what is wrong. */
export function readPlaceholder(text: string, pos: number): Placeholder | FilterMessage {
  PLACEHOLDER.lastIndex = pos;
  const match = PLACEHOLDER.exec(text);
  if (!match) return { key: 'template.expected-placeholder' };
  const transforms = (match[3] ?? '').split('|').filter(Boolean);
  const unknown = transforms.find((t) => !(TRANSFORMS as readonly string[]).includes(t));
  if (unknown !== undefined) return { key: 'template.unknown-transform', values: { transform: unknown, known: TRANSFORMS.join(', ') } };
  const placeholder: Placeholder = { part: match[1] as string, transforms: transforms as Transform[], source: match[0] };
  if (match[2] !== undefined) placeholder.field = match[2];
  return placeholder;
}

/** Parses text with placeholders (a label, a description, a subject tag); `{{` stands for a brace. */
export function parseTextTemplate(text: string, onPlaceholder?: (placeholder: Placeholder, offset: number) => void): ValueTemplate {
  const value: ValueTemplate = [];
  let literal = '';
  for (let pos = 0; pos < text.length; ) {
    if (text.startsWith('{{', pos)) {
      literal += '{';
      pos += 2;
    } else if (text[pos] === '{') {
      const read = readPlaceholder(text, pos);
      if (!isPlaceholder(read)) throw new TemplateSyntaxError(read, pos);
      if (literal) value.push(literal);
      literal = '';
      value.push(read);
      onPlaceholder?.(read, pos);
      pos += read.source.length;
    } else {
      literal += text[pos];
      pos++;
    }
  }
  if (literal) value.push(literal);
  return value;
}

export function isPlaceholder(read: Placeholder | FilterMessage): read is Placeholder {
  return 'part' in read;
}

/** A template that cannot be read; `offset` is where. */
export class TemplateSyntaxError extends Error {
  constructor(
    readonly explanation: FilterMessage,
    readonly offset: number,
  ) {
    super(inEnglish(explanation));
  }
}
