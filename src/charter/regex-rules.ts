import nearley from 'nearley';
import { RegExpParser, type AST } from '@eslint-community/regexpp';

/**
 * Turns a token class's regular expression into character-level nearley rules, so the address
 * parser knows, character by character, where a token goes wrong (and what it expected there).
 * Addresses are matched in lower case: letters in the expression match either case.
 */
export class UnsupportedRegexError extends Error {}

export interface RegexRules {
  rules: nearley.Rule[];
  /** The nonterminal that derives exactly the expression's language (its data is the matched text). */
  start: string;
}

type CharSymbol = { literal: string } | { test: (c: string) => boolean };
type SymbolRef = string | CharSymbol;

const join = (d: unknown[]): string => d.join('');

export function regexRules(source: string, name: string): RegexRules {
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2024 }).parsePattern(source, 0, source.length, { unicode: false });
  } catch (error) {
    throw new UnsupportedRegexError(`invalid regular expression /${source}/: ${(error as Error).message}`);
  }
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
      case 'Character': {
        const ch = String.fromCodePoint(node.value).toLowerCase();
        return { literal: ch };
      }
      case 'CharacterClass':
      case 'CharacterSet': {
        const re = new RegExp(`^${node.raw}$`);
        return { test: (c: string) => re.test(c) || re.test(c.toUpperCase()) };
      }
      case 'Group':
      case 'CapturingGroup':
        return disjunction(node.alternatives);
      case 'Quantifier':
        return quantifier(node);
      default:
        throw new UnsupportedRegexError(`${node.type.toLowerCase()} "${node.raw}" is not supported in a token class (use characters, classes, groups, | and quantifiers)`);
    }
  };

  // X{min,max}: min copies, then a chain of optional copies (nested, so that it stays unambiguous).
  const quantifier = (node: AST.Quantifier): SymbolRef => {
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
