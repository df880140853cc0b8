/**
 * The syntax tree of a charter, as the charter parser builds it: statements with the positions
 * they were written at, before any meaning is checked (that is the compiler's job).
 */
import type { Token } from 'moo';
import { type CharterMessage, formatCharterMessage } from './messages.js';

export interface Position {
  line: number;
  col: number;
}

export interface Text extends Position {
  value: string;
}

export type Statement = HeaderStatement | RuleStatement | RightsStatement | ConditionStatement | ExampleStatement;

export interface HeaderStatement extends Position {
  type: 'header';
  key: string;
  values: Text[];
}

export interface RuleStatement extends Position {
  type: 'rule';
  name: string;
  alternatives: Alternative[];
}

export interface Alternative extends Position {
  items: Item[];
  filter?: Text;
  label?: Text;
}

export type Item =
  | ({ type: 'literal'; value: string } & Position)
  | ({ type: 'reference'; name: string } & Position)
  | ({ type: 'token-class'; source: string; bounds: Array<[number, number]> } & Position)
  | ({ type: 'table'; name: string } & Position)
  | ({ type: 'optional'; alternatives: Alternative[] } & Position)
  | ({ type: 'repeat'; item: Item; separator?: string; combine: 'all' | 'any'; exclusive: Text[][]; order: 'any' | 'canonical' } & Position);

export type ConditionSyntax = Position &
  (
    | { kind: 'anyone' | 'member' | 'in-directory' | 'empty-sender' | 'authenticated' }
    | { kind: 'not'; condition: ConditionSyntax }
    | { kind: 'all' | 'any'; conditions: ConditionSyntax[] }
    | { kind: 'member-of'; template: Text }
    | { kind: 'sender-matches'; filter: Text }
    | { kind: 'domain'; domains: Text[] }
    | { kind: 'dkim' | 'spf' | 'dmarc'; result: Text }
    | { kind: 'named'; name: Text }
  );

/** Who moderates: the word after `@` (`@owners`), or a quoted list template. */
export type ModeratorsSyntax = Text & { quoted: boolean };

/** `allow`, `deny`, or `moderate by @owners` / `moderate by "TEMPLATE"`. */
export type OutcomeSyntax = Text & { moderators?: ModeratorsSyntax };

export interface RightsStatement extends Position {
  type: 'rights';
  action: Text;
  rules: Array<{ outcome: OutcomeSyntax; condition: ConditionSyntax }>;
  otherwise?: OutcomeSyntax;
  closed: boolean;
}

export interface ConditionStatement extends Position {
  type: 'condition';
  name: Text;
  condition: ConditionSyntax;
  /** What the sender is when the condition holds (`label "a chef"`), for reasons. */
  label?: Text;
}

export interface ExampleStatement extends Position {
  type: 'example';
  address: Text;
  /** The filter the address must compile to; absent for an address that must be refused. */
  filter?: Text;
}

const at = (token: Token): Position => ({ line: token.line, col: token.col });

export function text(token: Token): Text {
  return { ...at(token), value: token.type === 'string' ? unquote(token.value) : token.value };
}

/** A quoted string's content: `\x` stands for x (so `\"` and `\\`). */
function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(.)/g, '$1');
}

export function header(key: Token, values: Token[]): HeaderStatement {
  return { type: 'header', ...at(key), key: key.value, values: values.map(text) };
}

export function rule(name: Token, alternatives: Alternative[]): RuleStatement {
  return { type: 'rule', ...at(name), name: name.value.slice(1, -1), alternatives };
}

export function annotation(kind: 'filter' | 'label', keyword: Token, value: Token): { kind: string; value: Text; at: Position } {
  return { kind, value: text(value), at: at(keyword) };
}

export function alternative(items: Item[], annotations: Array<{ kind: string; value: Text; at: Position }>): Alternative {
  const first = items[0] as Item;
  const alt: Alternative = { line: first.line, col: first.col, items };
  for (const a of annotations) {
    if (a.kind === 'filter' ? alt.filter : alt.label) {
      throw new SyntaxAtError({ key: 'syntax.annotation-twice', values: { annotation: a.kind } }, a.at);
    }
    if (a.kind === 'filter') alt.filter = a.value;
    else alt.label = a.value;
  }
  return alt;
}

export function literal(token: Token): Item {
  return { type: 'literal', ...at(token), value: unquote(token.value) };
}

export function reference(token: Token): Item {
  return { type: 'reference', ...at(token), name: token.value.slice(1, -1) };
}

export function tokenClass(token: Token, bounds: Token[]): Item {
  return {
    type: 'token-class',
    ...at(token),
    source: token.value.slice(1, -1),
    bounds: bounds.map((b) => {
      const [low, high] = b.value.split('..').map(Number) as [number, number];
      if (low > high) throw new SyntaxAtError({ key: 'syntax.empty-range', values: { range: b.value } }, at(b));
      return [low, high];
    }),
  };
}

export function table(keyword: Token, name: Token): Item {
  return { type: 'table', ...at(keyword), name: name.value };
}

export function optional(open: Token, alternatives: Alternative[]): Item {
  return { type: 'optional', ...at(open), alternatives };
}

/** An option written after a repetition's `+`: its separator, its combine, a set of exclusive words, its order. */
export type RepeatOption = { kind: 'separator' | 'combine' | 'order'; token: Token; at: Token } | { kind: 'exclusive'; words: Token[]; at: Token };

const TWICE = { separator: 'syntax.separator-twice', combine: 'syntax.matching-twice', order: 'syntax.order-twice' } as const;

export function repeat(item: Item, plus: Token, options: RepeatOption[]): Item {
  const result: Extract<Item, { type: 'repeat' }> = { type: 'repeat', ...at(plus), line: item.line, col: item.col, item, combine: 'all', exclusive: [], order: 'any' };
  const seen = new Set<string>();
  for (const option of options) {
    // Exclusive sets may be several: `exclusive civils, militaires exclusive jour, nuit`.
    if (option.kind === 'exclusive') {
      result.exclusive.push(option.words.map(text));
      continue;
    }
    if (seen.has(option.kind)) throw new SyntaxAtError({ key: TWICE[option.kind] }, at(option.at));
    seen.add(option.kind);
    if (option.kind === 'separator') result.separator = unquote(option.token.value);
    else if (option.kind === 'combine') result.combine = option.token.value as 'all' | 'any';
    else result.order = option.token.value as 'any' | 'canonical';
  }
  return result;
}

export function outcome(keyword: Token, moderators?: ModeratorsSyntax): OutcomeSyntax {
  return moderators === undefined ? text(keyword) : { ...text(keyword), moderators };
}

export function moderators(token: Token): ModeratorsSyntax {
  return { ...text(token), quoted: token.type === 'string' };
}

export function rights(keyword: Token, action: Token, rules: RightsStatement['rules'], otherwise: OutcomeSyntax | undefined, closed: boolean): RightsStatement {
  const statement: RightsStatement = { type: 'rights', ...at(keyword), action: text(action), rules, closed };
  if (otherwise) statement.otherwise = otherwise;
  return statement;
}

export function namedCondition(keyword: Token, name: Token, condition: ConditionSyntax, labels: Array<{ keyword: Token; value: Token }>): ConditionStatement {
  const statement: ConditionStatement = { type: 'condition', ...at(keyword), name: text(name), condition };
  const [label, second] = labels;
  if (second) throw new SyntaxAtError({ key: 'syntax.label-twice' }, at(second.keyword));
  if (label) statement.label = text(label.value);
  return statement;
}

/** Builds a condition node; token fields of `fields` are turned into positioned text. */
export function cond(keyword: Token, fields: Record<string, unknown>): ConditionSyntax {
  const node: Record<string, unknown> = { ...at(keyword) };
  for (const [key, value] of Object.entries(fields)) {
    node[key] = isToken(value) ? text(value) : Array.isArray(value) ? value.map((v) => (isToken(v) ? text(v) : v)) : value;
  }
  return node as unknown as ConditionSyntax;
}

function isToken(value: unknown): value is Token {
  return typeof value === 'object' && value !== null && 'offset' in value && 'lineBreaks' in value;
}

export function example(keyword: Token, address: Token, filter: Token): ExampleStatement {
  return { type: 'example', ...at(keyword), address: text(address), filter: text(filter) };
}

export function refusal(keyword: Token, address: Token): ExampleStatement {
  return { type: 'example', ...at(keyword), address: text(address) };
}

/** A mistake found while building the tree, at a known place (turned into a CharterError). */
export class SyntaxAtError extends Error {
  constructor(
    readonly explanation: CharterMessage,
    readonly position: Position,
  ) {
    super(formatCharterMessage('en', explanation));
  }
}
