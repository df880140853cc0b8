import { RegExpParser, type AST } from '@eslint-community/regexpp';
import { inBounds } from './address-grammar.js';
import type { Family } from './family.js';
import type { CompiledAlternative, CompiledItem } from './model.js';

/** Past this many strings a token class is treated as open (not listed). */
const MAX_TOKEN_STRINGS = 10_000;
const PRINTABLE = [...'abcdefghijklmnopqrstuvwxyz0123456789-._'];

export interface Enumeration {
  /** True when the names listed are all the family has. */
  finite: boolean;
  /** Why the family has more names than can be listed: open token classes, repetitions, recursion. */
  open: string[];
  names: Iterable<string>;
  /**
   * The same names by rounds: the first holds every name whose repetitions have one item, round n
   * those whose widest repetition has n items. A caller can stop after a round (the export stops
   * once a round has no list with members).
   */
  rounds: Iterable<Iterable<string>>;
}

export interface EnumerateOptions {
  /**
   * Strings for token classes that cannot be listed (no bounds), by the class's id: the directory's
   * values of the attribute the class filters, say. Those that the class accepts are listed.
   */
  values?: ReadonlyMap<string, readonly string[]>;
  /** Whether a string the grammar spells is a name to list (by default, whether it is one of the family's canonical names): a caller that parses it anyway says so here, once. */
  accept?: (name: string) => boolean;
}

/**
 * The names of a family, for address books. A finite grammar is listed whole. Otherwise names are
 * listed by rounds (a repetition of one item, then of two distinct items, ...), skipping parts that
 * cannot be listed (a token class with no bounds, a recursive rule); the caller sets a limit.
 */
export function enumerate(family: Family, options: EnumerateOptions = {}): Enumeration {
  const rules = new Map(family.rules.map((r) => [r.name, r]));
  const open = new Set<string>();
  let repeats = false;
  const tokenStrings = new Map<string, string[] | undefined>();

  const tokens = (item: Extract<CompiledItem, { type: 'token-class' }>): string[] | undefined => {
    if (!tokenStrings.has(item.id)) {
      const strings = tokenLanguage(item.source, item.bounds) ?? givenValues(item);
      if (!strings) open.add(`/${item.source}/ (no bounds)`);
      tokenStrings.set(item.id, strings);
    }
    return tokenStrings.get(item.id);
  };

  const givenValues = (item: Extract<CompiledItem, { type: 'token-class' }>): string[] | undefined => {
    const given = options.values?.get(item.id);
    if (!given) return undefined;
    const re = new RegExp(`^(?:${item.source})$`, 'i');
    return [...new Set(given)].filter((v) => re.test(v) && inBounds(v, item.bounds));
  };

  // `depth` bounds repetitions; `stack` holds the rules being expanded, to cut recursion.
  function* item(it: CompiledItem, depth: number, stack: string[]): Generator<{ text: string; widest: number }> {
    switch (it.type) {
      case 'literal':
        yield { text: it.value, widest: 0 };
        return;
      case 'table':
        for (const e of it.entries) yield { text: e.entry.token, widest: 0 };
        return;
      case 'token-class':
        for (const t of tokens(it) ?? []) yield { text: t, widest: 0 };
        return;
      case 'reference': {
        if (stack.includes(it.name)) {
          open.add(`<${it.name}> (recursive)`);
          return;
        }
        for (const alt of rules.get(it.name)?.alternatives ?? []) yield* sequence(alt, 0, depth, [...stack, it.name]);
        return;
      }
      case 'optional':
        yield { text: '', widest: 0 };
        for (const alt of it.alternatives) yield* sequence(alt, 0, depth, stack);
        return;
      case 'repeat':
        repeats = true;
        yield* repetition(it, depth, stack, [], 0);
        return;
    }
  }

  function* repetition(it: Extract<CompiledItem, { type: 'repeat' }>, depth: number, stack: string[], used: string[], count: number): Generator<{ text: string; widest: number }> {
    if (count >= depth) return;
    for (const one of item(it.item, depth, stack)) {
      if (used.includes(one.text) || it.exclusive.some((set) => set.includes(one.text) && used.some((u) => set.includes(u)))) continue;
      const prefix = used.length === 0 ? one.text : `${used.join(it.separator)}${it.separator}${one.text}`;
      yield { text: prefix, widest: Math.max(one.widest, count + 1) };
      for (const more of repetition(it, depth, stack, [...used, one.text], count + 1)) yield more;
    }
  }

  function* sequence(alt: CompiledAlternative, index: number, depth: number, stack: string[]): Generator<{ text: string; widest: number }> {
    const it = alt.items[index];
    if (!it) {
      yield { text: '', widest: 0 };
      return;
    }
    for (const head of item(it, depth, stack)) {
      for (const tail of sequence(alt, index + 1, depth, stack)) yield { text: head.text + tail.text, widest: Math.max(head.widest, tail.widest) };
    }
  }

  const accept = options.accept ?? ((name: string) => family.isName(name));
  const start = family.rules[0]?.name ?? '';
  const all = (depth: number): Generator<{ text: string; widest: number }> => item({ type: 'reference', name: start }, depth, []);
  // A first pass with repetitions of one item finds out whether the grammar is finite.
  const first = [...all(1)];
  const finite = open.size === 0 && !repeats;

  function* rounds(): Generator<Generator<string>> {
    const seen = new Set<string>();
    const emit = function* (texts: Iterable<{ text: string; widest: number }>, width: number, round = { any: false }): Generator<string> {
      for (const n of texts) {
        if (width > 1 && n.widest !== width) continue;
        round.any = true;
        if (!seen.has(n.text) && accept(n.text)) {
          seen.add(n.text);
          yield n.text;
        }
      }
    };
    yield emit(first, 1);
    if (!repeats) return;
    for (let depth = 2; ; depth++) {
      const round = { any: false };
      yield emit(all(depth), depth, round);
      // A round with no name of its width is the last: wider repetitions would repeat an item.
      if (!round.any) return;
    }
  }

  function* names(): Generator<string> {
    for (const round of rounds()) yield* round;
  }
  return { finite, open: [...open, ...(repeats ? ['repetitions'] : [])], names: names(), rounds: rounds() };
}

/** Every string a token class accepts within its bounds, or undefined when there are too many. */
export function tokenLanguage(source: string, bounds: Array<[number, number]>): string[] | undefined {
  if (bounds.length > 0) {
    const size = bounds.reduce((n, [l, h]) => n + h - l + 1, 0);
    if (size > MAX_TOKEN_STRINGS) return undefined;
    const re = new RegExp(`^(?:${source})$`, 'i');
    const out: string[] = [];
    for (const [low, high] of bounds) {
      for (let n = low; n <= high; n++) {
        // One spelling per number: the shortest the expression accepts ("05" where two digits are required).
        for (let width = String(n).length; width <= String(high).length + 2; width++) {
          const text = String(n).padStart(width, '0');
          if (re.test(text) && inBounds(text, bounds)) {
            out.push(text);
            break;
          }
        }
      }
    }
    return out;
  }
  const pattern = new RegExpParser({ ecmaVersion: 2024 }).parsePattern(source, 0, source.length, { unicode: false });
  return language(pattern.alternatives);
}

function language(alternatives: AST.Alternative[]): string[] | undefined {
  const out: string[] = [];
  for (const alt of alternatives) {
    let strings: string[] = [''];
    for (const element of alt.elements) {
      const part = elementLanguage(element);
      if (!part || strings.length * part.length > MAX_TOKEN_STRINGS) return undefined;
      strings = strings.flatMap((s) => part.map((p) => s + p));
    }
    out.push(...strings);
    if (out.length > MAX_TOKEN_STRINGS) return undefined;
  }
  return out;
}

function elementLanguage(element: AST.Element): string[] | undefined {
  switch (element.type) {
    case 'Character':
      return [String.fromCodePoint(element.value).toLowerCase()];
    case 'CharacterClass':
    case 'CharacterSet': {
      const re = new RegExp(`^${element.raw}$`, 'i');
      return PRINTABLE.filter((c) => re.test(c));
    }
    case 'Group':
    case 'CapturingGroup':
      return language(element.alternatives);
    case 'Quantifier': {
      if (element.max === Infinity) return undefined;
      const inner = elementLanguage(element.element);
      if (!inner) return undefined;
      const out: string[] = [];
      let strings = [''];
      for (let k = 0; k <= element.max; k++) {
        if (k >= element.min) out.push(...strings);
        if (k < element.max) strings = strings.flatMap((s) => inner.map((p) => s + p));
        if (out.length + strings.length > MAX_TOKEN_STRINGS) return undefined;
      }
      return out;
    }
    default:
      return undefined;
  }
}
