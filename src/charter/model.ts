/**
 * A family's grammar after compilation: rules whose alternatives carry filter and label templates,
 * and the nodes an address parse produces. The nearley parser is built from these (address-grammar.ts)
 * and the list definition is read off the nodes (semantics.ts).
 */
import type { FilterTemplate, ValueTemplate } from '../filter/index.js';
import type { LexiconEntry } from './lexicon.js';
import type { Position } from './syntax.js';

export interface CompiledAlternative {
  /** `rule#2` or `rule#2.1` (an alternative inside brackets). */
  id: string;
  items: CompiledItem[];
  filter?: FilterTemplate;
  label?: ValueTemplate;
  position: Position;
}

export interface CompiledRule {
  name: string;
  alternatives: CompiledAlternative[];
  position: Position;
}

/** An item of an alternative; `at` is where the charter writes it (for diagnostics). */
export type CompiledItem =
  | { type: 'literal'; value: string; at: Position }
  | { type: 'reference'; name: string; at?: Position }
  | { type: 'token-class'; id: string; source: string; bounds: Array<[number, number]>; at: Position }
  | { type: 'table'; name: string; entries: CompiledEntry[]; at: Position }
  | { type: 'optional'; id: string; alternatives: CompiledAlternative[]; at: Position }
  | {
      type: 'repeat';
      id: string;
      item: CompiledItem;
      separator: string;
      combine: 'all' | 'any';
      /** Sets of words of which a name holds at most one (`exclusive civils, militaires`). */
      exclusive: string[][];
      /** `any`: other orders of the items name the list too, under its canonical name; `canonical`: they are refused. */
      order: 'any' | 'canonical';
      at: Position;
    };

export interface CompiledEntry {
  entry: LexiconEntry;
  table: string;
  filter?: FilterTemplate;
  label: ValueTemplate;
  /** The entry's `order` column, for ordering the labels of a repetition. */
  order: number;
}

/** What an address parse yields: literal text as plain strings, everything else as nodes. */
export type ParseNode = string | RuleNode | GroupNode | EntryNode | TokenNode | RepeatNode;

export interface RuleNode {
  k: 'rule';
  rule: CompiledRule;
  alternative: CompiledAlternative;
  children: ParseNode[];
  text: string;
}

/** The chosen alternative of a bracketed (optional) part; absent text when the part was left out. */
export interface GroupNode {
  k: 'group';
  alternative: CompiledAlternative | undefined;
  children: ParseNode[];
  text: string;
}

export interface EntryNode {
  k: 'entry';
  entry: CompiledEntry;
  text: string;
}

export interface TokenNode {
  k: 'token';
  text: string;
}

export interface RepeatNode {
  k: 'repeat';
  item: Extract<CompiledItem, { type: 'repeat' }>;
  items: ParseNode[];
  text: string;
}

export function textOf(node: ParseNode): string {
  return typeof node === 'string' ? node : node.text;
}
