/**
 * Refuses an address grammar that can read one name in exponentially or polynomially many ways
 * (nested or overlapping repetitions, alternatives that overlap under a repetition, a repeated part
 * that can contain its own separator): nearley keeps every reading, so such a grammar lets one
 * address take the service down. Two readings of a name (finite ambiguity) stay allowed: examples
 * and the resolver report them (LIST_AMBIGUOUS).
 *
 * Rules cannot recurse, so a family's addresses form a regular language. The grammar is turned as a
 * whole into its position (Glushkov) automaton, whose states are the characters of the charter:
 * literal characters, lexicon tokens (as a trie, which reads them deterministically) and token class
 * characters, each knowing the construct that wrote it. Infinite ambiguity is then decided exactly
 * (Weber & Seidl's criteria, as in Allauzen, Mohri & Rastogi, "General algorithms for testing the
 * ambiguity of finite automata", 2008):
 *   exponential: two different paths from a state back to itself reading the same word, i.e. a
 *     strongly connected component of the pair automaton holding a pair (p, p) and a pair (p, q≠p),
 *     or one transition made twice (a repetition of a repetition, `(a+)+`);
 *   polynomial: states p ≠ q and a word v with p -v-> p, p -v-> q and q -v-> q, i.e. a path from
 *     (p, p, q) to (p, q, q) in the triple automaton.
 * The ReDoS checkers on npm were weighed for this: recheck decides the same thing but takes seconds
 * (and times out) on a grammar the size of `liste`; scslre is fast but only sees attacks repeating one
 * character and lets `(a|a)*` or `(a|aa)+` through. The resolver's work budget stays the last bound.
 */
import type { AST } from '@eslint-community/regexpp';
import type { CharterMessage } from './messages.js';
import type { CompiledAlternative, CompiledItem, CompiledRule } from './model.js';
import type { Problems } from './problems.js';
import { characterTest, parseTokenClass } from './regex-rules.js';
import type { Position } from './syntax.js';

/** A construct of the charter, as a message names it: in its notation, or in words. */
interface Construct {
  at: Position;
  name: string | CharterMessage;
}

/** A repetition of the grammar (`+`) or an unbounded quantifier of a token class. */
interface Loop extends Construct {
  separator?: string;
}

/** A state of the position automaton: one character the grammar reads, and what wrote it. */
interface Place {
  /** The one character it reads, or a test for a class. */
  char?: string;
  test?: (c: string) => boolean;
  construct: Construct;
  /** The loops around it, outermost first. */
  loops: Loop[];
  /** Set on the characters of a repetition's separator. */
  separatorOf?: Loop;
}

/** The Glushkov sets of a part: in how many ways it reads the empty text (0, 1, 2 for several), which places can start and end it. */
interface Fragment {
  empty: 0 | 1 | 2;
  first: number[];
  last: number[];
}

const EMPTY: Fragment = { empty: 1, first: [], last: [] };

/** What makes a grammar infinitely ambiguous, with the constructs to blame. */
type Finding =
  | { kind: 'empty-loop'; loop: Loop }
  | { kind: 'empty-twice'; part: Construct; loop: Loop }
  | { kind: 'loop-of-loop'; loop: Construct; inner: Construct | undefined }
  | { kind: 'exponential'; p: number; q: number; word: string }
  | { kind: 'polynomial'; p: number; q: number };

/** Bounds on the analysis itself, far above what a charter needs. */
const MAX_PLACES = 200_000;
const MAX_PAIRS = 1_000_000;
const MAX_TRIPLES = 500_000;

class TooLarge extends Error {}

const describeItem = (item: CompiledItem): string => {
  switch (item.type) {
    case 'literal':
      return `'${item.value}'`;
    case 'reference':
      return `<${item.name}>`;
    case 'token-class':
      return `/${item.source}/`;
    case 'table':
      return `table ${item.name}`;
    case 'optional':
      return '[...]';
    case 'repeat':
      return `${describeItem(item.item)}+${item.separator ? ` separated by '${item.separator}'` : ''}`;
  }
};

/** Builds the position automaton of a grammar, from its start rule. */
class PositionAutomaton {
  /** Place 0 is the initial state (it reads nothing). */
  readonly places: Place[] = [{ construct: { at: { line: 1, col: 1 }, name: { key: 'construct.start' } }, loops: [] }];
  /** follow.get(p).get(q): the loop whose repetition makes q follow p (undefined: plain sequence). */
  readonly follow: Array<Map<number, Loop | undefined>> = [new Map()];
  readonly findings: Finding[] = [];
  private readonly loops: Loop[] = [];
  /** `loops` as places share it, until it changes. */
  private loopsNow: Loop[] | undefined;
  private separatorOf: Loop | undefined;

  constructor(private readonly rules: Map<string, CompiledRule>) {}

  build(start: string, at: Position): void {
    const whole = this.item({ type: 'reference', name: start, at }, start);
    for (const q of whole.first) this.link(0, q, undefined);
  }

  private place(construct: Construct, char: string | undefined, test?: (c: string) => boolean): Fragment {
    if (this.places.length >= MAX_PLACES) throw new TooLarge();
    this.loopsNow ??= [...this.loops];
    const place: Place = { construct, loops: this.loopsNow };
    if (char !== undefined) place.char = char;
    if (test) place.test = test;
    if (this.separatorOf) place.separatorOf = this.separatorOf;
    this.places.push(place);
    this.follow.push(new Map());
    const p = this.places.length - 1;
    return { empty: 0, first: [p], last: [p] };
  }

  private link(p: number, q: number, by: Loop | undefined): void {
    const out = this.follow[p] as Map<number, Loop | undefined>;
    if (out.has(q)) {
      // The same step made twice: the text between can be read as one repetition or as two.
      if (by) this.findings.push({ kind: 'loop-of-loop', loop: by, inner: out.get(q) });
      return;
    }
    out.set(q, by);
  }

  private sequence(parts: Fragment[]): Fragment {
    let result: Fragment = EMPTY;
    for (const next of parts) {
      for (const p of result.last) for (const q of next.first) this.link(p, q, undefined);
      result = {
        empty: Math.min(2, result.empty * next.empty) as Fragment['empty'],
        first: result.empty > 0 ? [...result.first, ...next.first] : result.first,
        last: next.empty > 0 ? [...result.last, ...next.last] : next.last,
      };
    }
    return result;
  }

  /** Alternatives; two of them that can both be empty, inside a loop, double the readings at each turn. */
  private choice(parts: Fragment[], construct: Construct): Fragment {
    const ways = parts.reduce((sum, f) => sum + f.empty, 0);
    const loop = this.loops[this.loops.length - 1];
    if (ways >= 2 && loop && !parts.some((f) => f.empty === 2)) this.findings.push({ kind: 'empty-twice', part: construct, loop });
    return { empty: Math.min(2, ways) as Fragment['empty'], first: parts.flatMap((f) => f.first), last: parts.flatMap((f) => f.last) };
  }

  private enter(loop: Loop): void {
    this.loops.push(loop);
    this.loopsNow = undefined;
  }

  private leave(): void {
    this.loops.pop();
    this.loopsNow = undefined;
  }

  /** `body` repeated one or more times (`+`), inside `loop`. */
  private repeated(loop: Loop, body: () => Fragment): Fragment {
    this.enter(loop);
    const fragment = body();
    for (const p of fragment.last) for (const q of fragment.first) this.link(p, q, loop);
    this.leave();
    if (fragment.empty > 0) this.findings.push({ kind: 'empty-loop', loop });
    return fragment;
  }

  private literal(text: string, construct: Construct): Fragment {
    return this.sequence([...text].map((c) => this.place(construct, c)));
  }

  private item(item: CompiledItem, owner: string): Fragment {
    switch (item.type) {
      case 'literal':
        return this.literal(item.value, { at: item.at, name: describeItem(item) });
      case 'reference': {
        const rule = this.rules.get(item.name) as CompiledRule;
        return this.choice(
          rule.alternatives.map((a) => this.alternative(a, rule.name)),
          { at: item.at ?? rule.position, name: describeItem(item) },
        );
      }
      case 'table':
        return this.trie(
          item.entries.map((e) => e.entry.token),
          { at: item.at, name: { key: 'construct.in-rule', values: { item: describeItem(item), rule: owner } } },
        );
      case 'token-class':
        return this.tokenClass(item, owner);
      case 'optional':
        return this.choice([...item.alternatives.map((a) => this.alternative(a, owner)), EMPTY], { at: item.at, name: { key: 'construct.optional', values: { rule: owner } } });
      case 'repeat': {
        const loop: Loop = { at: item.at, name: describeItem(item), separator: item.separator };
        if (!item.separator) return this.repeated(loop, () => this.item(item.item, owner));
        // X (S X)*: the first X, then the repeated tail.
        this.enter(loop);
        const first = this.item(item.item, owner);
        this.leave();
        const tail = this.repeated(loop, () => {
          this.separatorOf = loop;
          const separator = this.literal(item.separator, { at: item.at, name: { key: 'construct.separator', values: { separator: item.separator } } });
          this.separatorOf = undefined;
          return this.sequence([separator, this.item(item.item, owner)]);
        });
        return this.sequence([first, { ...tail, empty: 1 }]);
      }
    }
  }

  private alternative(alternative: CompiledAlternative, owner: string): Fragment {
    return this.sequence(alternative.items.map((it) => this.item(it, owner)));
  }

  /** A lexicon's tokens as a trie: one place per distinct prefix, so that reading them is deterministic. */
  private trie(tokens: string[], construct: Construct): Fragment {
    type Node = { place: number; children: Map<string, Node> };
    const roots = new Map<string, Node>();
    const last = new Set<number>();
    let empty: Fragment['empty'] = 0;
    for (const token of tokens) {
      if (token === '') empty = 1;
      let level = roots;
      let node: Node | undefined;
      for (const c of token) {
        let next = level.get(c);
        if (!next) {
          const place = this.place(construct, c).first[0] as number;
          if (node) this.link(node.place, place, undefined);
          next = { place, children: new Map() };
          level.set(c, next);
        }
        node = next;
        level = next.children;
      }
      if (node) last.add(node.place);
    }
    return { empty, first: [...roots.values()].map((n) => n.place), last: [...last] };
  }

  private tokenClass(item: Extract<CompiledItem, { type: 'token-class' }>, owner: string): Fragment {
    const pattern = parseTokenClass(item.source);
    const construct: Construct = { at: item.at, name: { key: 'construct.in-rule', values: { item: `/${item.source}/`, rule: owner } } };
    const within = (node: AST.Node): Position => ({ line: item.at.line, col: item.at.col + 1 + node.start });

    const named = (node: AST.Node): Construct => ({ at: within(node), name: { key: 'construct.in-class', values: { part: node.raw, source: item.source } } });
    const alternatives = (list: AST.Alternative[], of: Construct): Fragment =>
      this.choice(
        list.map((a) => this.sequence(a.elements.map(element))),
        of,
      );
    const element = (node: AST.Element): Fragment => {
      switch (node.type) {
        case 'Character':
          return this.place(construct, String.fromCodePoint(node.value).toLowerCase());
        case 'CharacterClass':
        case 'CharacterSet':
          return this.place(construct, undefined, characterTest(node));
        case 'Group':
        case 'CapturingGroup':
          return alternatives(node.alternatives, named(node));
        case 'Quantifier':
          return quantifier(node);
        default:
          // Refused when the rules were compiled (regex-rules.ts): never analysed.
          throw new Error(`unexpected ${node.type} in a token class`);
      }
    };
    // A counted repetition is analysed as unbounded: within a name of at most 64 characters,
    // `(a|aa){1,64}` reads as many ways as `(a|aa)+`. `X?` stays an option.
    const quantifier = (node: AST.Quantifier): Fragment => {
      if (node.max <= 1) {
        if (node.max === 0) return EMPTY;
        const copy = element(node.element);
        return node.min === 1 ? copy : this.choice([copy, EMPTY], named(node));
      }
      const required = Array.from({ length: Math.max(node.min - 1, 0) }, () => element(node.element));
      const loop: Loop = named(node);
      const plus = this.repeated(loop, () => element(node.element));
      return this.sequence([...required, node.min === 0 ? this.choice([plus, EMPTY], loop) : plus]);
    };
    return alternatives(pattern.alternatives, construct);
  }
}

/** The characters a name may hold, for deciding whether two places can read the same one. */
function alphabetOf(places: Place[], sources: string[]): string[] {
  const chars = new Set<string>();
  const add = (code: number): void => {
    if (code < 0 || code > 0x10ffff) return;
    const c = String.fromCodePoint(code);
    // Names are read in lower case.
    if (c.toLowerCase() === c) chars.add(c);
  };
  // Characters of names first, so that messages show one of them.
  for (const c of 'abcdefghijklmnopqrstuvwxyz0123456789.-_') add(c.codePointAt(0) as number);
  for (let code = 0; code <= 0x24f; code++) add(code);
  // Every character a charter writes, and its neighbours (the ends of ranges, their outsides).
  const written = new Set<string>(sources);
  for (const p of places) if (p.char !== undefined) written.add(p.char);
  for (const text of written) {
    for (const c of text) {
      const code = c.codePointAt(0) as number;
      for (const near of [code - 1, code, code + 1]) add(near);
      add(c.toLowerCase().codePointAt(0) as number);
    }
  }
  return [...chars];
}

/** Each place's characters, as a bit set over the alphabet. */
function characterSets(places: Place[], alphabet: string[]): Uint32Array[] {
  const index = new Map(alphabet.map((c, i) => [c, i]));
  const words = Math.ceil(alphabet.length / 32);
  return places.map((place) => {
    const set = new Uint32Array(words);
    const mark = (i: number): void => {
      set[i >>> 5] = (set[i >>> 5] as number) | (1 << (i & 31));
    };
    if (place.char !== undefined) {
      const i = index.get(place.char);
      if (i !== undefined) mark(i);
    } else if (place.test) {
      alphabet.forEach((c, i) => {
        if (place.test?.(c)) mark(i);
      });
    }
    return set;
  });
}

function overlap(...sets: Uint32Array[]): boolean {
  const [a, ...rest] = sets as [Uint32Array, ...Uint32Array[]];
  for (let w = 0; w < a.length; w++) {
    let bits = a[w] as number;
    for (const s of rest) bits &= s[w] as number;
    if (bits !== 0) return true;
  }
  return false;
}

/** Strongly connected components of a graph on nodes 0..n-1 (Tarjan, iterative): each node's component. */
function components(next: number[][]): Int32Array {
  const n = next.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const component = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  const onStack = new Uint8Array(n);
  const frames: Array<[node: number, edge: number]> = [];
  let counter = 0;
  let count = 0;
  const open = (node: number): void => {
    index[node] = low[node] = counter++;
    stack.push(node);
    onStack[node] = 1;
    frames.push([node, 0]);
  };
  for (let root = 0; root < n; root++) {
    if ((index[root] as number) >= 0) continue;
    open(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as [number, number];
      const [node, edge] = frame;
      const successors = next[node] as number[];
      if (edge < successors.length) {
        frame[1]++;
        const m = successors[edge] as number;
        if ((index[m] as number) < 0) open(m);
        else if (onStack[m]) low[node] = Math.min(low[node] as number, index[m] as number);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] as number, low[node] as number);
      if (low[node] === index[node]) {
        let m: number;
        do {
          m = stack.pop() as number;
          onStack[m] = 0;
          component[m] = count;
        } while (m !== node);
        count++;
      }
    }
  }
  return component;
}

/** Decides infinite ambiguity on a built automaton; the first finding, if any. */
function analyse(automaton: PositionAutomaton, sets: Uint32Array[], alphabet: string[]): Finding | undefined {
  const { places } = automaton;
  const n = places.length;
  const follow = automaton.follow.map((out) => [...out.keys()]);
  const sccOf = components(follow);
  const sizes = new Map<number, number>();
  for (const c of sccOf) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  const cyclic = (p: number): boolean => (sizes.get(sccOf[p] as number) as number) > 1 || (follow[p] as number[]).includes(p);

  const early = automaton.findings.find((f) => f.kind === 'empty-loop') ?? automaton.findings.find((f) => f.kind === 'empty-twice');
  if (early) return early;
  const doubled = automaton.findings.find((f) => f.kind === 'loop-of-loop');
  if (doubled) return doubled;

  // The pair automaton, from (start, start); a pair is stored once, smaller place first.
  const pairIndex = new Map<number, number>();
  const pairs: Array<[number, number]> = [];
  const pairNext: number[][] = [];
  const pair = (p: number, q: number): number => {
    const key = p <= q ? p * n + q : q * n + p;
    let i = pairIndex.get(key);
    if (i === undefined) {
      if (pairs.length >= MAX_PAIRS) throw new TooLarge();
      i = pairs.length;
      pairIndex.set(key, i);
      pairs.push(p <= q ? [p, q] : [q, p]);
      pairNext.push([]);
    }
    return i;
  };
  pair(0, 0);
  for (let i = 0; i < pairs.length; i++) {
    const [p, q] = pairs[i] as [number, number];
    const out = pairNext[i] as number[];
    for (const p2 of follow[p] as number[]) {
      for (const q2 of follow[q] as number[]) {
        if (overlap(sets[p2] as Uint32Array, sets[q2] as Uint32Array)) out.push(pair(p2, q2));
      }
    }
  }
  const pairScc = components(pairNext);
  const members = new Map<number, number[]>();
  pairScc.forEach((c, i) => {
    const list = members.get(c);
    if (list) list.push(i);
    else members.set(c, [i]);
  });
  const onCycle = (list: number[]): boolean => list.length > 1 || (pairNext[list[0] as number] as number[]).includes(list[0] as number);

  const offDiagonal: Array<[number, number]> = [];
  for (const list of members.values()) {
    if (!onCycle(list)) continue;
    const inside = list.map((i) => pairs[i] as [number, number]);
    const off = inside.find(([p, q]) => p !== q);
    if (!off) continue;
    const diagonal = list.find((i) => {
      const [p, q] = pairs[i] as [number, number];
      return p === q;
    });
    if (diagonal !== undefined) {
      // A word read from (p, p) back to (p, p) through (p, q): two different ways round the loop.
      const within = new Set(list);
      const offIndex = list[inside.indexOf(off)] as number;
      const char = (i: number): string => sample(sets, alphabet, ...(pairs[i] as [number, number]));
      const word = [...path(pairNext, within, diagonal, offIndex), ...path(pairNext, within, offIndex, diagonal)].map(char).join('');
      return { kind: 'exponential', p: off[0], q: off[1], word };
    }
    for (const pq of inside) if (pq[0] !== pq[1]) offDiagonal.push(pq);
  }

  // Polynomial: p ≠ q, each on a cycle of its own, and a word v with p -v-> p, p -v-> q, q -v-> q.
  let triples = 0;
  const reaches = (p: number, q: number): boolean => {
    const goal = `${p},${q},${q}`;
    const seen = new Set<string>([`${p},${p},${q}`]);
    const todo: Array<[number, number, number]> = [[p, p, q]];
    while (todo.length > 0) {
      const [a, b, c] = todo.pop() as [number, number, number];
      for (const a2 of follow[a] as number[]) {
        for (const b2 of follow[b] as number[]) {
          if (!overlap(sets[a2] as Uint32Array, sets[b2] as Uint32Array)) continue;
          for (const c2 of follow[c] as number[]) {
            if (!overlap(sets[a2] as Uint32Array, sets[b2] as Uint32Array, sets[c2] as Uint32Array)) continue;
            const k = `${a2},${b2},${c2}`;
            if (k === goal) return true;
            if (seen.has(k)) continue;
            if (++triples > MAX_TRIPLES) throw new TooLarge();
            seen.add(k);
            todo.push([a2, b2, c2]);
          }
        }
      }
    }
    return false;
  };
  for (const [p, q] of offDiagonal) {
    if (!cyclic(p) || !cyclic(q) || sccOf[p] === sccOf[q]) continue;
    if (reaches(p, q)) return { kind: 'polynomial', p, q };
    if (reaches(q, p)) return { kind: 'polynomial', p: q, q: p };
  }
  return undefined;
}

/** The first character two places (or one) can both read, for messages. */
function sample(sets: Uint32Array[], alphabet: string[], ...places: number[]): string {
  return alphabet.find((_, i) => places.every((p) => (((sets[p] as Uint32Array)[i >>> 5] as number) & (1 << (i & 31))) !== 0)) ?? '?';
}

/** The nodes after `from` on a shortest path to `to` within `nodes` (breadth first). */
function path(next: number[][], nodes: Set<number>, from: number, to: number): number[] {
  const parent = new Map<number, number>();
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as number;
    for (const m of next[node] as number[]) {
      if (!nodes.has(m) || parent.has(m)) continue;
      parent.set(m, node);
      if (m === to) {
        const steps = [m];
        for (let k = node; k !== from; k = parent.get(k) as number) steps.unshift(k);
        return steps;
      }
      queue.push(m);
    }
  }
  return [];
}

const at = (p: Position): CharterMessage => ({ key: 'position', values: { line: p.line, col: p.col } });

/** A rule that refers back to itself, directly or through others, as the chain of names. */
function recursion(rules: Map<string, CompiledRule>, start: string): { chain: string[]; at: Position } | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, chain: string[]): { chain: string[]; at: Position } | undefined => {
    state.set(name, 'open');
    const rule = rules.get(name);
    const references: Array<{ name: string; at?: Position }> = [];
    const collect = (items: CompiledItem[]): void => {
      for (const it of items) {
        if (it.type === 'reference') references.push(it);
        if (it.type === 'optional') for (const a of it.alternatives) collect(a.items);
        if (it.type === 'repeat') collect([it.item]);
      }
    };
    for (const a of rule?.alternatives ?? []) collect(a.items);
    for (const ref of references) {
      if (state.get(ref.name) === 'open') return { chain: [...chain, name, ref.name], at: ref.at ?? rule?.position ?? { line: 1, col: 1 } };
      if (!state.has(ref.name)) {
        const found = visit(ref.name, [...chain, name]);
        if (found) return found;
      }
    }
    state.set(name, 'done');
    return undefined;
  };
  return visit(start, []);
}

/**
 * Adds a problem, at the construct to blame, when the grammar can read a name in exponentially or
 * polynomially many ways, when a rule recurses, or when the grammar is too large to decide.
 * Expects a grammar that compiled without problems (every reference defined, token classes valid).
 */
export function checkAmbiguity(rules: CompiledRule[], start: string, problems: Problems): void {
  const byName = new Map(rules.map((r) => [r.name, r]));
  const startRule = byName.get(start);
  if (!startRule) return;
  const loop = recursion(byName, start);
  if (loop) {
    const again = loop.chain[loop.chain.length - 1] as string;
    const cycle = loop.chain.slice(loop.chain.indexOf(again));
    problems.add(loop.at, { key: 'ambiguity.recursion', values: { rule: again, cycle: cycle.map((r) => `<${r}>`).join(' -> ') } });
    return;
  }
  const automaton = new PositionAutomaton(byName);
  let finding: Finding | undefined;
  let sets: Uint32Array[] = [];
  let alphabet: string[] = [];
  try {
    automaton.build(start, startRule.position);
    const sources = rules.flatMap((r) => r.alternatives.flatMap((a) => sourcesOf(a.items)));
    alphabet = alphabetOf(automaton.places, sources);
    sets = characterSets(automaton.places, alphabet);
    finding = analyse(automaton, sets, alphabet);
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    problems.add(startRule.position, { key: 'ambiguity.too-large', values: { places: String(MAX_PLACES), pairs: String(MAX_PAIRS), triples: String(MAX_TRIPLES) } });
    return;
  }
  if (!finding) return;
  const { places } = automaton;
  switch (finding.kind) {
    case 'empty-loop':
      problems.add(finding.loop.at, { key: 'ambiguity.empty-loop', values: { loop: finding.loop.name } });
      return;
    case 'empty-twice':
      problems.add(finding.part.at, { key: 'ambiguity.empty-twice', values: { part: finding.part.name, loop: finding.loop.name, at: at(finding.loop.at) } });
      return;
    case 'loop-of-loop':
      problems.add(
        finding.loop.at,
        finding.inner
          ? { key: 'ambiguity.loop-of-loop', values: { loop: finding.loop.name, inner: finding.inner.name, at: at(finding.inner.at) } }
          : { key: 'ambiguity.loop-of-part', values: { loop: finding.loop.name } },
      );
      return;
    case 'exponential': {
      const p = places[finding.p] as Place;
      const q = places[finding.q] as Place;
      const common = p.loops.filter((l) => q.loops.includes(l)).pop();
      const blame = common ?? p.construct;
      const separator = common && (p.separatorOf === common || q.separatorOf === common);
      const word = JSON.stringify(finding.word);
      problems.add(
        blame.at,
        separator
          ? { key: 'ambiguity.exponential-separator', values: { construct: blame.name, separator: common.separator ?? '', word } }
          : { key: 'ambiguity.exponential', values: { construct: blame.name, word } },
      );
      return;
    }
    case 'polynomial': {
      const p = places[finding.p] as Place;
      const q = places[finding.q] as Place;
      const first = p.loops[p.loops.length - 1] ?? p.construct;
      const second = q.loops[q.loops.length - 1] ?? q.construct;
      problems.add(first.at, {
        key: 'ambiguity.polynomial',
        values: { first: first.name, second: second.name, at: at(second.at), word: JSON.stringify(sample(sets, alphabet, finding.p, finding.q)) },
      });
      return;
    }
  }
}

function sourcesOf(items: CompiledItem[]): string[] {
  return items.flatMap((it) => {
    if (it.type === 'token-class') return [it.source];
    if (it.type === 'optional') return it.alternatives.flatMap((a) => sourcesOf(a.items));
    if (it.type === 'repeat') return sourcesOf([it.item]);
    return [];
  });
}
