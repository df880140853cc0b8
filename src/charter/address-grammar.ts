import nearley from 'nearley';
import { compareItems, type Conflict, conflictOf } from './canonical.js';
import {
  type CompiledAlternative,
  type CompiledEntry,
  type CompiledItem,
  type CompiledRule,
  type EntryNode,
  type GroupNode,
  type ParseNode,
  type RepeatNode,
  type RuleNode,
  type TokenNode,
  textOf,
} from './model.js';
import { regexRules } from './regex-rules.js';

/** What the parser was trying to read when it consumed characters in a given nearley rule. */
export type Expectation = { kind: 'literal'; text: string } | { kind: 'entry'; table: string; token: string } | { kind: 'token'; owner: string; source: string; bounds: Array<[number, number]> };

/** A token class's match that fell outside its numeric bounds (reported when nothing else parses). */
export interface Rejection {
  owner: string;
  text: string;
  bounds: Array<[number, number]>;
  end: number;
}

/** An item a repetition refused (a repeated or excluded word), and where it ends in the name. */
export type PlacedConflict = Conflict & { column: number; end: number };

export interface AddressGrammar {
  grammar: nearley.Grammar;
  expectations: Map<nearley.Rule, Expectation>;
  /**
   * Set by the parser's caller before each parse: `canonicalOnly` makes repetitions refuse items
   * out of canonical order (for offering names). Filled by token classes that reject a match
   * (`rejection`) and repetitions that refuse an item (`conflict`), the furthest kept.
   */
  trace: { rejection?: Rejection; conflict?: PlacedConflict; canonicalOnly: boolean };
  /**
   * The Earley states a parse may create (`limit`), has created in the columns already read
   * (`spent`), the items it completed (`completed`) and the parser's table of columns: set by the
   * parser's caller. nearley keeps every derivation, so an ambiguous grammar multiplies states
   * within one column.
   */
  work: { limit: number; spent: number; completed: number; table: ReadonlyArray<{ states: unknown[] } | undefined> };
}

/** Thrown from inside the parser when a parse creates more Earley states than `work.limit`. */
export class WorkLimitReached extends Error {}

function joinText(children: ParseNode[]): string {
  let text = '';
  for (const c of children) text += typeof c === 'string' ? c : c.text;
  return text;
}

export function inBounds(text: string, bounds: ReadonlyArray<[number, number]>): boolean {
  if (bounds.length === 0) return true;
  if (!/^[0-9]+$/.test(text)) return false;
  const n = Number(text);
  return bounds.some(([low, high]) => n >= low && n <= high);
}

/**
 * Builds the character-level nearley grammar of a family's addresses (their local part, lower case).
 * Every postprocessor is cheap: it runs for every completed item, most of which lead nowhere.
 */
export function buildAddressGrammar(rules: CompiledRule[], start: string): AddressGrammar {
  const out: nearley.Rule[] = [];
  const expectations = new Map<nearley.Rule, Expectation>();
  const trace: AddressGrammar['trace'] = { canonicalOnly: false };
  const made = new Set<string>();

  const literal = (value: string): string => {
    const name = JSON.stringify(value);
    if (made.has(name)) return name;
    made.add(name);
    const rule = new nearley.Rule(
      name,
      [...value].map((ch) => ({ literal: ch })),
      () => value,
    );
    expectations.set(rule, { kind: 'literal', text: value });
    out.push(rule);
    return name;
  };

  const table = (name: string, entries: CompiledEntry[]): string => {
    const nt = `$table:${name}`;
    if (made.has(nt)) return nt;
    made.add(nt);
    for (const entry of entries) {
      const node: EntryNode = { k: 'entry', entry, text: entry.entry.token };
      const rule = new nearley.Rule(
        nt,
        [...entry.entry.token].map((ch) => ({ literal: ch })),
        () => node,
      );
      expectations.set(rule, { kind: 'entry', table: name, token: entry.entry.token });
      out.push(rule);
    }
    return nt;
  };

  const tokenClass = (item: Extract<CompiledItem, { type: 'token-class' }>, owner: string): string => {
    const nt = `$tc:${item.id}`;
    const regex = regexRules(item.source, nt);
    const expectation: Expectation = { kind: 'token', owner, source: item.source, bounds: item.bounds };
    for (const r of regex.rules) {
      expectations.set(r, expectation);
      out.push(r);
    }
    const rule = new nearley.Rule(nt, [regex.start], (data: string[], reference: number | undefined, reject: unknown) => {
      const text = data[0] as string;
      if (!inBounds(text, item.bounds)) {
        const end = (reference ?? 0) + text.length;
        if (!trace.rejection || end >= trace.rejection.end) trace.rejection = { owner, text, bounds: item.bounds, end };
        return reject;
      }
      const node: TokenNode = { k: 'token', text };
      return node;
    });
    out.push(rule);
    return nt;
  };

  const symbolOf = (item: CompiledItem, owner: string): string => {
    switch (item.type) {
      case 'literal':
        return literal(item.value);
      case 'reference':
        return item.name;
      case 'table':
        return table(item.name, item.entries);
      case 'token-class':
        return tokenClass(item, owner);
      case 'optional': {
        const nt = `$opt:${item.id}`;
        out.push(new nearley.Rule(nt, [], (): GroupNode => ({ k: 'group', alternative: undefined, children: [], text: '' })));
        for (const alt of item.alternatives) {
          out.push(new nearley.Rule(nt, symbolsOf(alt, owner), (children: ParseNode[]): GroupNode => ({ k: 'group', alternative: alt, children, text: joinText(children) })));
        }
        return nt;
      }
      case 'repeat': {
        const nt = `$rep:${item.id}`;
        const one = symbolOf(item.item, owner);
        out.push(new nearley.Rule(nt, [one], ([child]: ParseNode[]): RepeatNode => ({ k: 'repeat', item, items: [child as ParseNode], text: joinText([child as ParseNode]) })));
        const more = item.separator ? [nt, literal(item.separator), one] : [nt, one];
        out.push(
          new nearley.Rule(nt, more, (data: ParseNode[], reference: number | undefined, reject: unknown): RepeatNode | unknown => {
            const left = data[0] as RepeatNode;
            const child = data[data.length - 1] as ParseNode;
            const text = left.text + item.separator + textOf(child);
            // A word twice, or two words that exclude each other, would name a list twice or one without members.
            const conflict = conflictOf(item, left.items, child);
            if (conflict) {
              const end = (reference ?? 0) + text.length;
              if (!trace.conflict || end >= trace.conflict.end) trace.conflict = { ...conflict, column: end - textOf(child).length + 1, end };
              return reject;
            }
            if (trace.canonicalOnly && compareItems(left.items[left.items.length - 1] as ParseNode, child) > 0) return reject;
            return { k: 'repeat', item, items: [...left.items, child], text };
          }),
        );
        return nt;
      }
    }
  };

  const symbolsOf = (alt: CompiledAlternative, owner: string): string[] => alt.items.map((item) => symbolOf(item, owner));

  for (const rule of rules) {
    for (const alternative of rule.alternatives) {
      out.push(
        new nearley.Rule(
          rule.name,
          symbolsOf(alternative, rule.name),
          (children: ParseNode[]): RuleNode => ({
            k: 'rule',
            rule,
            alternative,
            children,
            text: joinText(children),
          }),
        ),
      );
    }
  }
  // Every completed item runs its rule's postprocessor, before it makes the states that wait for
  // it move on: checking the column being read there stops a parse in the middle of a column,
  // before an ambiguous grammar fills memory (a completion adds at most as many states as an
  // earlier column holds, so a parse never holds much more than twice the limit).
  // Completed items are counted too, for the first column, read before the table is known.
  const work: AddressGrammar['work'] = { limit: Infinity, spent: 0, completed: 0, table: [] };
  for (const rule of out) {
    const postprocess = rule.postprocess;
    if (!postprocess) continue;
    rule.postprocess = (data, reference, reject) => {
      if (++work.completed > work.limit || work.spent + (work.table[work.table.length - 1]?.states.length ?? 0) > work.limit) throw new WorkLimitReached();
      return postprocess(data, reference, reject);
    };
  }
  const grammar = new nearley.Grammar(out);
  grammar.start = start;
  return { grammar, expectations, trace, work };
}
