import nearley from 'nearley';
import { RegExpParser, type AST } from '@eslint-community/regexpp';
import { type CharterMessage, formatCharterMessage } from './messages.js';

/**
 * Turns a token class's regular expression into character-level nearley rules, so the address
 * parser knows, character by character, where a token goes wrong (and what it expected there).
 * Addresses are matched in lower case: letters in the expression match either case.
 */
export class UnsupportedRegexError extends Error {
  /** Where in the charter line the fault is, counted from the token class's opening slash. */
  constructor(
    readonly explanation: CharterMessage,
    readonly offset?: number,
  ) {
    super(formatCharterMessage('en', explanation));
  }
}

/**
 * The largest count a token class may write in `{n}` or `{n,m}`: RFC 5321's 64 octets of a local
 * part. Counted repetitions are expanded into copies, so a larger one is refused before expansion.
 */
export const MAX_REPEAT_COUNT = 64;

export interface RegexRules {
  rules: nearley.Rule[];
  /** The nonterminal that derives exactly the expression's language (its data is the matched text). */
  start: string;
}

type CharSymbol = { literal: string } | { test: (c: string) => boolean };
type SymbolRef = string | CharSymbol;

const join = (d: unknown[]): string => d.join('');

/** A token class's expression, parsed; throws UnsupportedRegexError when it is not valid. */
export function parseTokenClass(source: string): AST.Pattern {
  try {
    return new RegExpParser({ ecmaVersion: 2024 }).parsePattern(source, 0, source.length, { unicode: false });
  } catch (error) {
    throw new UnsupportedRegexError({ key: 'regex.invalid', values: { source, reason: (error as Error).message } });
  }
}

/** Whether a (lower case) character of an address matches a character or class of a token class. */
export function characterTest(node: AST.Character | AST.CharacterClass | AST.CharacterSet): (c: string) => boolean {
  if (node.type === 'Character') {
    const ch = String.fromCodePoint(node.value).toLowerCase();
    return (c) => c === ch;
  }
  const re = new RegExp(`^${node.raw}$`);
  return (c) => re.test(c) || re.test(c.toUpperCase());
}

/** Refuses a counted repetition above MAX_REPEAT_COUNT, at its place (offset from the opening slash). */
export function checkRepeatCount(node: AST.Quantifier): void {
  const count = node.max === Infinity ? node.min : node.max;
  if (count > MAX_REPEAT_COUNT) {
    throw new UnsupportedRegexError({ key: 'regex.repeat-count', values: { raw: node.raw, count: String(count), max: MAX_REPEAT_COUNT } }, node.start + 1);
  }
}

export function regexRules(source: string, name: string): RegexRules {
  const pattern = parseTokenClass(source);
  const rules: nearley.Rule[] = [];
  let counter = 0;
  const fresh = (): string => `${name}/${++counter}`;

  const disjunction = (alternatives: AST.Alternative[]): string => {
    const nt = fresh();
    for (const alt of alternatives) rules.push(new nearley.Rule(nt, alt.elements.map(element), join));
    return nt;
  };

  const element = (node: AST.Element): SymbolRef => {
    switch (node.type) {
      case 'Character':
        return { literal: String.fromCodePoint(node.value).toLowerCase() };
      case 'CharacterClass':
      case 'CharacterSet':
        return { test: characterTest(node) };
      case 'Group':
      case 'CapturingGroup':
        return disjunction(node.alternatives);
      case 'Quantifier':
        return quantifier(node);
      default:
        // Assertions and backreferences (class expressions need the v flag, which token classes do not take).
        throw new UnsupportedRegexError({ key: node.type === 'Backreference' ? 'regex.backreference' : 'regex.assertion', values: { raw: node.raw } });
    }
  };

  // X{min,max}: min copies, then a chain of optional copies (nested, so that it stays unambiguous).
  const quantifier = (node: AST.Quantifier): SymbolRef => {
    checkRepeatCount(node);
    const inner = element(node.element);
    const nt = fresh();
    const required = Array.from({ length: node.min }, () => inner);
    if (node.max === Infinity) {
      const star = fresh();
      rules.push(new nearley.Rule(star, [], () => ''));
      rules.push(new nearley.Rule(star, [star, inner], join));
      rules.push(new nearley.Rule(nt, [...required, star], join));
    } else {
      let tail: string | undefined;
      for (let k = node.max - node.min; k > 0; k--) {
        const opt = fresh();
        rules.push(new nearley.Rule(opt, [], () => ''));
        rules.push(new nearley.Rule(opt, tail ? [inner, tail] : [inner], join));
        tail = opt;
      }
      rules.push(new nearley.Rule(nt, tail ? [...required, tail] : required, join));
    }
    return nt;
  };

  return { rules, start: disjunction(pattern.alternatives) };
}
