import { RegExpParser, type AST } from '@eslint-community/regexpp';
import { inBounds } from './address-grammar.js';
import { compareItems, conflictOf } from './canonical.js';
import type { Family } from './family.js';
import { type CompiledAlternative, type CompiledItem, type CompiledRule, type EntryNode, type GroupNode, type ParseNode, type RepeatNode, type RuleNode, type TokenNode, textOf } from './model.js';
import { DEFAULT_LOCAL_PART_MAX } from './resolver.js';

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
  /** Longest name listed, in octets: the resolver's limit (AUTOLIST_LOCAL_PART_MAX), longer names being refused unread. */
  localPartMax?: number;
}

/** A part of a name as the grammar spells it: its parse node (as the resolver would build it), its length in octets, its widest repetition. */
interface Spelled {
  node: ParseNode;
  octets: number;
  widest: number;
}

/** The parts of an alternative from one item on, spelled. */
interface SpelledSequence {
  nodes: ParseNode[];
  text: string;
  octets: number;
  widest: number;
}

/**
 * The names of a family, for address books. A finite grammar is listed whole. Otherwise names are
 * listed by rounds (a repetition of one item, then of two distinct items, ...), skipping parts that
 * cannot be listed (a token class with no bounds, a recursive rule); the caller sets a limit.
 * Only names the resolver reads as they are spelled are made: each repetition holds its items once,
 * in canonical order, without two that exclude each other, and no name is longer than the resolver
 * reads; parts too long to leave room for the rest are not spelled.
 */
export function enumerate(family: Family, options: EnumerateOptions = {}): Enumeration {
  const rules = new Map(family.rules.map((r) => [r.name, r]));
  const longest = options.localPartMax ?? DEFAULT_LOCAL_PART_MAX;
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

  // The fewest octets an item spells, and the rest of an alternative from an item on: a lower bound
  // (a recursive reference counts nothing), so that no part is spelled that leaves no room for the rest.
  const shortestRule = new Map<string, number>();
  const shortestRests = new Map<CompiledAlternative, number[]>();
  const fewest = (values: Iterable<number>): number => {
    let least = Infinity;
    for (const v of values) least = Math.min(least, v);
    return least;
  };
  const shortest = (it: CompiledItem, stack: readonly string[]): number => {
    switch (it.type) {
      case 'literal':
        return octets(it.value);
      case 'table':
        return fewest(it.entries.map((e) => octets(e.entry.token)));
      case 'token-class':
        return fewest((tokens(it) ?? []).map(octets));
      case 'reference': {
        if (stack.includes(it.name)) return 0;
        let least = shortestRule.get(it.name);
        if (least === undefined) {
          least = fewest((rules.get(it.name)?.alternatives ?? []).map((alt) => shortestRest(alt, 0, [...stack, it.name])));
          shortestRule.set(it.name, least);
        }
        return least;
      }
      case 'optional':
        return 0;
      case 'repeat':
        return shortest(it.item, stack);
    }
  };
  const shortestRest = (alt: CompiledAlternative, index: number, stack: readonly string[]): number => {
    let rests = shortestRests.get(alt);
    if (!rests) {
      rests = [0];
      for (let i = alt.items.length - 1; i >= 0; i--) rests.unshift(shortest(alt.items[i] as CompiledItem, stack) + (rests[0] as number));
      shortestRests.set(alt, rests);
    }
    return rests[index] as number;
  };

  // `depth` bounds repetitions; `stack` holds the rules being expanded, to cut recursion; `room`
  // is the most octets the item may spell.
  function* item(it: CompiledItem, depth: number, stack: string[], room: number): Generator<Spelled> {
    switch (it.type) {
      case 'literal':
        yield* fitting([it.value], room, (text) => text);
        return;
      case 'table':
        yield* fitting(it.entries, room, (entry): EntryNode => ({ k: 'entry', entry, text: entry.entry.token }));
        return;
      case 'token-class':
        yield* fitting(tokens(it) ?? [], room, (text): TokenNode => ({ k: 'token', text }));
        return;
      case 'reference': {
        if (stack.includes(it.name)) {
          open.add(`<${it.name}> (recursive)`);
          return;
        }
        const rule = rules.get(it.name);
        for (const alternative of rule?.alternatives ?? []) {
          for (const s of sequence(alternative, 0, depth, [...stack, it.name], room)) {
            const node: RuleNode = { k: 'rule', rule: rule as CompiledRule, alternative, children: s.nodes, text: s.text };
            yield { node, octets: s.octets, widest: s.widest };
          }
        }
        return;
      }
      case 'optional': {
        const none: GroupNode = { k: 'group', alternative: undefined, children: [], text: '' };
        yield { node: none, octets: 0, widest: 0 };
        for (const alternative of it.alternatives) {
          for (const s of sequence(alternative, 0, depth, stack, room)) {
            const node: GroupNode = { k: 'group', alternative, children: s.nodes, text: s.text };
            yield { node, octets: s.octets, widest: s.widest };
          }
        }
        return;
      }
      case 'repeat':
        repeats = true;
        yield* repetition(it, depth, stack, room);
        return;
    }
  }

  // A repetition's items in canonical order, each once and none excluded by another: the
  // combinations of its items ranked, the smallest first (the items the others extend).
  function* repetition(it: Extract<CompiledItem, { type: 'repeat' }>, depth: number, stack: string[], room: number): Generator<Spelled> {
    const byText = new Map<string, Spelled>();
    for (const one of item(it.item, depth, stack, room)) if (!byText.has(textOf(one.node))) byText.set(textOf(one.node), one);
    const ranked = [...byText.values()].sort((a, b) => compareItems(a.node, b.node));
    const separator = octets(it.separator);
    function* extend(chosen: Spelled[], from: number, size: number): Generator<Spelled> {
      const before = chosen.map((c) => c.node);
      for (let i = from; i < ranked.length; i++) {
        const next = ranked[i] as Spelled;
        const total = chosen.length === 0 ? next.octets : size + separator + next.octets;
        if (total > room || conflictOf(it, before, next.node)) continue;
        const items = [...chosen, next];
        const node: RepeatNode = { k: 'repeat', item: it, items: items.map((c) => c.node), text: items.map((c) => textOf(c.node)).join(it.separator) };
        yield { node, octets: total, widest: Math.max(items.length, ...items.map((c) => c.widest)) };
        if (items.length < depth) yield* extend(items, i + 1, total);
      }
    }
    yield* extend([], 0, 0);
  }

  function* sequence(alt: CompiledAlternative, index: number, depth: number, stack: string[], room: number): Generator<SpelledSequence> {
    const it = alt.items[index];
    if (!it) {
      yield { nodes: [], text: '', octets: 0, widest: 0 };
      return;
    }
    for (const head of item(it, depth, stack, room - shortestRest(alt, index + 1, stack))) {
      for (const tail of sequence(alt, index + 1, depth, stack, room - head.octets)) {
        yield { nodes: [head.node, ...tail.nodes], text: textOf(head.node) + tail.text, octets: head.octets + tail.octets, widest: Math.max(head.widest, tail.widest) };
      }
    }
  }

  const accept = options.accept ?? ((name: string) => family.isName(name));
  const start = family.rules[0]?.name ?? '';
  const all = (depth: number): Generator<Spelled> => item({ type: 'reference', name: start }, depth, [], longest);
  // A first pass with repetitions of one item finds out whether the grammar is finite.
  const first = [...all(1)];
  const finite = open.size === 0 && !repeats;

  function* rounds(): Generator<Generator<string>> {
    const seen = new Set<string>();
    const emit = function* (spelled: Iterable<Spelled>, width: number, round = { any: false }): Generator<string> {
      for (const n of spelled) {
        if (width > 1 && n.widest !== width) continue;
        round.any = true;
        const text = textOf(n.node);
        if (!seen.has(text) && accept(text)) {
          seen.add(text);
          yield text;
        }
      }
    };
    yield emit(first, 1);
    if (!repeats) return;
    for (let depth = 2; ; depth++) {
      const round = { any: false };
      yield emit(all(depth), depth, round);
      // A round with no name of its width is the last: wider repetitions would repeat an item, or be too long.
      if (!round.any) return;
    }
  }

  function* names(): Generator<string> {
    for (const round of rounds()) yield* round;
  }
  return { finite, open: [...open, ...(repeats ? ['repetitions'] : [])], names: names(), rounds: rounds() };
}

/** The nodes of the words that fit in `room` octets, spelled. */
function* fitting<T>(words: readonly T[], room: number, nodeOf: (word: T) => ParseNode): Generator<Spelled> {
  for (const word of words) {
    const node = nodeOf(word);
    const size = octets(textOf(node));
    if (size <= room) yield { node, octets: size, widest: 0 };
  }
}

/** A name's length as the resolver measures it. */
const octets = (text: string): number => Buffer.byteLength(text, 'utf8');

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
