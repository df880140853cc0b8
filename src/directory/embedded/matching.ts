import { metaphone } from 'metaphone';

/**
 * Matching rules as slapd applies them: a value is normalised by its rule (undefined when it does
 * not conform to the rule's syntax, which makes the filter item Undefined), then compared.
 * Substring pieces are normalised with their position: slapd keeps the inner edge spaces of
 * initial, any and final pieces of directory strings.
 */
export type Use = 'equality' | 'initial' | 'any' | 'final' | 'approx';

export interface MatchingRule {
  normalize(value: string, use: Use): string | undefined;
  /** The rule has a phonetic approximate rule attached (directory and IA5 strings). */
  approx?: boolean;
  /** How an ordering rule orders two normalised values (default: compareOrdered). */
  compare?(value: string, asserted: string): number;
}

const PRINTABLE = /^[A-Za-z0-9'()+,\-./:?= ]+$/;

/** RFC 4518-like preparation, as slapd does it: case folding, NFKC (NFKD without marks for approx). */
function prepareUtf8(value: string, casefold: boolean, approx: boolean): string {
  const folded = casefold ? value.toLowerCase() : value;
  // ASCII is its own NFKC and NFKD form.
  if (ASCII.test(folded)) return folded;
  return approx ? folded.normalize('NFKD').replace(/\p{M}/gu, '') : folded.normalize('NFKC');
}

const ASCII = /^[\x00-\x7f]*$/;

/** Insignificant spaces: runs collapse to one; edges are trimmed except the inner edges of substring pieces. */
function collapseSpaces(value: string, use: Use): string {
  let out = value.includes('  ') ? value.replace(/ {2,}/g, ' ') : value;
  if (use !== 'any' && use !== 'final' && out.startsWith(' ')) out = out.slice(1);
  if (use !== 'initial' && use !== 'any' && out.endsWith(' ')) out = out.slice(0, -1);
  if (out.length === 0) return value.length > 0 ? ' ' : '';
  return out;
}

function directoryString(casefold: boolean, valid: (value: string) => boolean = (v) => v.length > 0): MatchingRule {
  return {
    approx: true,
    normalize: (value, use) => (valid(value) ? collapseSpaces(prepareUtf8(value, casefold, use === 'approx'), use) : undefined),
  };
}

function ia5String(casefold: boolean): MatchingRule {
  return {
    approx: true,
    normalize(value) {
      if (!/^[\x00-\x7f]*$/.test(value)) return undefined;
      // slapd reads IA5 values as C strings: a NUL ends the value.
      const text = value.split('\0', 1)[0] as string;
      const collapsed = text.replace(/^ +/, '').replace(/ +/g, ' ').replace(/ $/, '');
      return casefold ? collapsed.toLowerCase() : collapsed;
    },
  };
}

function normalizeInteger(value: string): string | undefined {
  return /^(?:0|-?[1-9][0-9]*)$/.test(value) ? value : undefined;
}

const exact: MatchingRule = { normalize: (value) => value };

const RULES: Record<string, MatchingRule> = {
  caseIgnoreMatch: directoryString(true),
  caseIgnoreOrderingMatch: directoryString(true),
  caseIgnoreSubstringsMatch: directoryString(true),
  caseExactMatch: directoryString(false),
  caseExactOrderingMatch: directoryString(false),
  caseExactSubstringsMatch: directoryString(false),
  caseIgnoreIA5Match: ia5String(true),
  caseIgnoreIA5SubstringsMatch: ia5String(true),
  caseExactIA5Match: ia5String(false),
  caseExactIA5SubstringsMatch: ia5String(false),
  telephoneNumberMatch: {
    normalize(value) {
      const digits = PRINTABLE.test(value) ? value.replace(/[ -]/g, '') : '';
      return digits.length > 0 ? digits : undefined;
    },
  },
  numericStringMatch: { normalize: (value) => (/^[0-9 ]+$/.test(value) ? value.replace(/ /g, '') : undefined) },
  integerMatch: { normalize: normalizeInteger },
  integerOrderingMatch: { normalize: normalizeInteger, compare: (value, asserted) => Number(BigInt(value) - BigInt(asserted)) },
  caseIgnoreListMatch: {
    normalize: (value) => {
      const lines = value.split('$').map((line) => (line.length === 0 ? '' : directoryString(true).normalize(line, 'equality')));
      return lines.some((line) => line === undefined) ? undefined : lines.join('$');
    },
  },
  octetStringMatch: exact,
  bitStringMatch: { normalize: (value) => (/^'[01]*'B$/.test(value) ? value : undefined) },
};
RULES.telephoneNumberSubstringsMatch = RULES.telephoneNumberMatch as MatchingRule;
RULES.numericStringSubstringsMatch = RULES.numericStringMatch as MatchingRule;

/**
 * The rule named, if the embedded directory implements it. distinguishedNameMatch and
 * uniqueMemberMatch are handled by the DN code; objectIdentifierMatch by the schema; the rules slapd
 * cannot evaluate either (presentationAddressMatch, caseIgnoreListSubstringsMatch) are absent, so
 * the filter item is Undefined there as in slapd.
 */
export function matchingRule(name: string | undefined): MatchingRule | undefined {
  return name === undefined ? undefined : RULES[name];
}

/** Whether a normalised value holds the normalised pieces, in order and without overlap. */
export function substringsMatch(value: string, initial: string | undefined, any: string[], final: string | undefined): boolean {
  let pos = 0;
  if (initial !== undefined) {
    if (!value.startsWith(initial)) return false;
    pos = initial.length;
  }
  for (const piece of any) {
    const at = value.indexOf(piece, pos);
    if (at < 0) return false;
    pos = at + piece.length;
  }
  return final === undefined || (final.length <= value.length - pos && value.endsWith(final));
}

/** Ordering of normalised values: byte order of their UTF-8 forms, as slapd's octetStringOrderingMatch. */
export function compareOrdered(value: string, asserted: string): number {
  return Buffer.compare(Buffer.from(value, 'utf8'), Buffer.from(asserted, 'utf8'));
}

/**
 * slapd's approximate match: every word of the assertion sounds like a word of the value, in the
 * same order (Metaphone codes of at most 4 letters; a word ends at its first non-letter).
 */
export function approxMatch(value: string, asserted: string): boolean {
  const words = prepareUtf8(value, false, true).split(' ').map(phonetic);
  let next = 0;
  let seen = false;
  for (const word of prepareUtf8(asserted, false, true).split(' ')) {
    if (word.length === 0) continue;
    const code = phonetic(word);
    const at = words.indexOf(code, next);
    if (at < 0) return false;
    next = at + 1;
    seen = true;
  }
  return seen;
}

function phonetic(word: string): string {
  const letters = /^[A-Za-z]*/.exec(word)?.[0] ?? '';
  return letters.length === 0 ? '' : metaphone(letters).slice(0, 4);
}
