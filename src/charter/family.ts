import type { Language } from '../i18n/index.js';
import nearley from 'nearley';
import { matchAll, type ValueTemplate } from '../filter/index.js';
import { WorkLimitReached, type AddressGrammar, type Expectation, type PlacedConflict, type Rejection } from './address-grammar.js';
import { canonicalText, type Conflict, misplacedItems } from './canonical.js';
import { tokenLanguage } from './enumerate.js';
import { AddressTooComplexError } from './errors.js';
import type { DirectorySettings, ListDefinition } from './list.js';
import type { CompiledRule, RuleNode } from './model.js';
import type { RightsRules } from './rights.js';
import { derivationOf, fill, filterOf, paramsOf } from './semantics.js';

/** Why a local part is not a name of this family: where it goes wrong and what was expected there. */
export interface ParseFailure {
  /** 1-based column of the first character that cannot be read, or length + 1 if the name stops short. */
  column: number;
  expected: string[];
  /** A token that had the right shape but a value out of bounds (`20` for a département). */
  outOfBounds?: { part: string; text: string; bounds: Array<[number, number]> };
  /** A word a repetition refused at `column`: one it already holds, or one that another it holds excludes. */
  conflict?: Conflict;
  /** The name in canonical order, when a repetition `in canonical order` holds its items in another. */
  canonical?: string;
}

/** A name read: its parse, and `canonical`, the same name with every repetition in canonical order. */
export type ParseOutcome = { ok: true; root: RuleNode; derivations: RuleNode[]; canonical: string } | { ok: false; failure: ParseFailure };

export interface FamilyHeader {
  name: string;
  /** The charter file, for messages. */
  file: string;
  domains: string[];
  directory: DirectorySettings;
  priority: number;
  cacheTtlSeconds: number;
  description: ValueTemplate;
  subject: ValueTemplate;
  owners: string[];
  acceptEmptyLists: boolean;
  /** DMARC-safe resending: the list's mail goes out From the list, the author in Reply-To. */
  rewriteFrom: boolean;
  /** `verified`: an address the sender cannot prove is refused on `send` (AUTH, DMARC, a trusted client); `any`: the rules alone decide. */
  senders: 'verified' | 'any';
  /** Whether its lists with members go into address books (`autolist export`). */
  public: boolean;
  /** The language of every text this family's lists show people: replies, reasons, notices (default en). */
  language: Language;
  /** How long a moderated message waits for a decision, in seconds (`moderation-expiry`, default 7 days). */
  moderationExpirySeconds: number;
}

/** An address the charter gives as an example: with the filter it must compile to, or refused. */
export interface CharterExample {
  address: string;
  filter?: string;
}

/**
 * How many Earley states one parse may create (all columns together) before the name is refused as
 * too complex: a base, plus room for every rule of the grammar (each lexicon entry is one) to be
 * predicted at several columns. The shipped families need under 500 for any 64-octet name; random
 * grammars that check accepts needed up to 11,000 (a counted repetition and readings of the empty
 * text in two ways); a grammar that reads names in exponentially many ways passes 25,000 within 20
 * characters. A state costs about a microsecond, so the budget also bounds a parse's time (30 ms).
 */
function defaultParseBudget(grammar: nearley.Grammar): number {
  return 25_000 + 8 * grammar.rules.length;
}

/** What nearley's first column does, as its constructor would for the start rule. */
type FirstColumn = { wants: Record<string, unknown[]>; predict: (symbol: string) => void; process: () => void };

type ParserInternals = { table: Array<{ states: Array<{ rule: nearley.Rule; dot: number }> } | undefined>; current: number };

/** A compiled family: its header, its rules, its address parser. Pure: no I/O. */
export class Family {
  #alphabet: string[] | undefined;
  #parser: { parser: nearley.Parser; start: ReturnType<nearley.Parser['save']> } | undefined;
  /** Earley states a parse may create unless the caller gives its own budget. */
  readonly parseBudget: number;

  constructor(
    readonly header: FamilyHeader,
    readonly rules: CompiledRule[],
    readonly rights: RightsRules,
    private readonly address: AddressGrammar,
    readonly examples: readonly CharterExample[] = [],
  ) {
    this.parseBudget = defaultParseBudget(address.grammar);
  }

  get name(): string {
    return this.header.name;
  }

  /**
   * Parses a local part (already lower case); throws AddressTooComplexError past `budget` Earley states.
   * A repetition never reads a word twice, nor two words that exclude each other; a name whose
   * repetitions hold their items out of canonical order reads with its `canonical` name, or is
   * refused with it when the repetition says `in canonical order`.
   */
  parse(local: string, budget = this.parseBudget): ParseOutcome {
    const parser = this.parser();
    const trace = this.address.trace;
    trace.rejection = undefined;
    trace.conflict = undefined;
    try {
      this.feed(parser, local, budget);
    } catch (error) {
      if (error instanceof AddressTooComplexError) throw error;
      const offset = (error as { offset?: number }).offset ?? 0;
      // Set, during feed(), by a repetition that refused an item.
      return { ok: false, failure: withConflict({ column: offset + 1, expected: this.expected(parser) }, trace.conflict as PlacedConflict | undefined, offset) };
    }
    const results = parser.results as RuleNode[];
    if (results.length === 0) {
      const failure: ParseFailure = { column: local.length + 1, expected: this.expected(parser) };
      // Set, during feed(), by a token class whose match was out of bounds.
      const rejection = trace.rejection as Rejection | undefined;
      if (rejection && rejection.end === local.length) {
        failure.outOfBounds = { part: rejection.owner, text: rejection.text, bounds: rejection.bounds };
        failure.column = local.length - rejection.text.length + 1;
      }
      return { ok: false, failure: withConflict(failure, trace.conflict as PlacedConflict | undefined, local.length) };
    }
    const root = results[0] as RuleNode;
    const misplaced = misplacedItems(root);
    if (misplaced.length === 0) return { ok: true, root, derivations: distinct(results), canonical: local };
    const canonical = canonicalText(root);
    const refused = misplaced.find((m) => m.order === 'canonical');
    if (refused) return { ok: false, failure: { column: refused.offset + 1, expected: [], canonical } };
    return { ok: true, root, derivations: distinct(results), canonical };
  }

  /**
   * Whether a local part is a name of the family as it is to be offered: read, and canonical.
   * Throws AddressTooComplexError past `budget`, as parse() does.
   */
  isName(local: string, budget = this.parseBudget): boolean {
    const outcome = this.parse(local, budget);
    return outcome.ok && outcome.canonical === local;
  }

  /** The list definition of a parsed name. */
  define(root: RuleNode, local: string, domain: string): ListDefinition {
    const filter = filterOf(root) ?? matchAll();
    return {
      address: `${local}@${domain}`,
      family: this.header.name,
      name: local,
      domain,
      filter,
      filterText: filter.toString(),
      description: fill(this.header.description, root),
      subject: fill(this.header.subject, root),
      params: paramsOf(root),
      rights: this.rights,
      directory: this.header.directory,
      priority: this.header.priority,
      cacheTtlSeconds: this.header.cacheTtlSeconds,
      owners: this.header.owners,
      acceptEmptyLists: this.header.acceptEmptyLists,
      rewriteFrom: this.header.rewriteFrom,
      senders: this.header.senders,
      language: this.header.language,
      moderationExpirySeconds: this.header.moderationExpirySeconds,
    };
  }

  /** The characters that addresses of this family are made of, for suggestions. */
  alphabet(): string[] {
    if (!this.#alphabet) {
      const chars = new Set('abcdefghijklmnopqrstuvwxyz0123456789.-_');
      for (const e of this.address.expectations.values()) {
        if (e.kind === 'literal') for (const c of e.text) chars.add(c);
        if (e.kind === 'entry') for (const c of e.token) chars.add(c);
      }
      this.#alphabet = [...chars];
    }
    return this.#alphabet;
  }

  /** The literals and lexicon tokens that may start right after `prefix` (none if the prefix fails). */
  wordsAfter(prefix: string, budget = this.parseBudget): string[] {
    return this.continuationsAfter(prefix, budget).words;
  }

  /**
   * What may start right after `prefix`, read in one parse: the literals and lexicon tokens
   * (`words`), and the texts of the token classes few enough to offer (`tokens`: `/[0-9][0-9]/ in
   * 1..19, 21..95` gives 01 to 95), which address fields complete as they do words. Open classes
   * (a town) are left to the typist. The prefix is read as names are offered: canonical, so that no
   * word is offered past one a repetition refuses.
   */
  continuationsAfter(prefix: string, budget = this.parseBudget): { words: string[]; tokens: string[] } {
    const { words, tokens } = this.readAhead(prefix, budget);
    return { words, tokens };
  }

  /**
   * Whether a name to offer may start with `prefix`, as far as the next word tells: the prefix is a
   * name, an open token class may follow it, or one of the words that may follow leaves something
   * to read (`liste.militaires.` is no start: every category after it is refused).
   */
  startsName(prefix: string, budget = this.parseBudget): boolean {
    const here = this.readAhead(prefix, budget);
    if (!here.alive) return false;
    if (here.complete || here.open) return true;
    return [...here.words, ...here.tokens].some((word) => this.readAhead(prefix + word, budget).alive);
  }

  /** What a canonical reading of `prefix` leaves: whether it is alive (read, and a name or more to read), what may follow. */
  private readAhead(prefix: string, budget: number): { alive: boolean; complete: boolean; open: boolean; words: string[]; tokens: string[] } {
    const parser = this.parser();
    const trace = this.address.trace;
    trace.canonicalOnly = true;
    try {
      this.feed(parser, prefix, budget);
    } catch (error) {
      if (error instanceof AddressTooComplexError) throw error;
      return { alive: false, complete: false, open: false, words: [], tokens: [] };
    } finally {
      trace.canonicalOnly = false;
    }
    const complete = (parser.results as RuleNode[]).length > 0;
    const words = new Set<string>();
    const tokens = new Set<string>();
    let waiting = false;
    let open = false;
    for (const { expectation, dot } of this.scannable(parser)) {
      waiting = true;
      if (dot !== 0) continue;
      if (expectation.kind === 'literal') words.add(expectation.text);
      else if (expectation.kind === 'entry') words.add(expectation.token);
      else {
        const offered = this.offeredTokens(expectation);
        if (offered.length === 0) open = true;
        for (const text of offered) tokens.add(text);
      }
    }
    return { alive: complete || waiting, complete, open, words: [...words], tokens: [...tokens] };
  }

  private readonly tokenOffers = new Map<string, readonly string[]>();

  private offeredTokens(token: Extract<Expectation, { kind: 'token' }>): readonly string[] {
    const key = `${token.source}\0${describeBounds(token.bounds)}`;
    let offered = this.tokenOffers.get(key);
    if (offered === undefined) {
      const texts = tokenLanguage(token.source, token.bounds);
      offered = texts !== undefined && texts.length <= MAX_OFFERED_TOKENS ? texts.map((t) => t.toLowerCase()) : [];
      this.tokenOffers.set(key, offered);
    }
    return offered;
  }

  /**
   * Feeds text to the parser within `budget` Earley states: the parser's lexer counts each column
   * once it is read, the postprocessors the column being read; past the budget the parse stops
   * with AddressTooComplexError.
   */
  private feed(parser: nearley.Parser, text: string, budget: number): void {
    const work = this.address.work;
    work.spent = 0;
    work.completed = 0;
    work.limit = budget;
    try {
      parser.feed(text);
      if (work.spent > budget) throw new WorkLimitReached();
    } catch (error) {
      if (error instanceof WorkLimitReached) throw new AddressTooComplexError(this.name, budget);
      throw error;
    } finally {
      work.limit = Infinity;
    }
  }

  /**
   * The family's parser, rewound to its start. Its first column (the start rule predicted) is
   * computed once and never changed by later columns, so every parse restarts from it.
   */
  private parser(): nearley.Parser {
    if (!this.#parser) {
      const parser = this.newParser();
      // nearley's own error message walks every parse state; we build a short one ourselves.
      (parser as unknown as { reportError: () => string }).reportError = () => '';
      this.countColumns(parser);
      this.#parser = { parser, start: parser.save() };
    }
    this.#parser.parser.restore(this.#parser.start);
    return this.#parser.parser;
  }

  /**
   * A parser over the grammar whose first column (the start rule predicted) is read within the
   * budget too: nearley is made to start from a rule-less symbol, then the real start is predicted
   * by hand, once the column can be seen by the postprocessors.
   */
  private newParser(): nearley.Parser {
    const { grammar, work } = this.address;
    const start = grammar.start;
    grammar.start = '$nothing';
    const parser = new nearley.Parser(grammar);
    grammar.start = start;
    const first = (parser as unknown as ParserInternals).table[0] as unknown as FirstColumn;
    work.table = (parser as unknown as ParserInternals).table;
    work.spent = 0;
    work.completed = 0;
    work.limit = this.parseBudget;
    try {
      first.wants[start] = [];
      first.predict(start);
      first.process();
    } catch (error) {
      if (error instanceof WorkLimitReached) throw new AddressTooComplexError(this.name, this.parseBudget);
      throw error;
    } finally {
      work.limit = Infinity;
    }
    return parser;
  }

  /**
   * nearley asks its lexer for the next character once a column is read: there, the column's states
   * are added to the work spent, and past the budget the lexer says the text ends (an exception
   * there would come out of nearley as a plain error).
   */
  private countColumns(parser: nearley.Parser): void {
    const work = this.address.work;
    const internals = parser as unknown as ParserInternals & { lexer: { next: () => unknown } };
    const { lexer, table } = internals;
    const next = lexer.next;
    work.table = table;
    lexer.next = () => {
      work.spent += table[internals.current]?.states.length ?? 0;
      return work.spent > work.limit ? undefined : next.call(lexer);
    };
  }

  /** The states of the parser's current column that wait for a character, with what they stand for. */
  private *scannable(parser: nearley.Parser): Generator<{ expectation: Expectation; dot: number }> {
    const { table, current } = parser as unknown as ParserInternals;
    const column = table[current];
    for (const state of column?.states ?? []) {
      const symbol = state.rule.symbols[state.dot];
      if (symbol === undefined || typeof symbol === 'string') continue;
      const expectation = this.address.expectations.get(state.rule);
      if (expectation) yield { expectation, dot: state.dot };
    }
  }

  /** What the parser could read at the point it stopped, in the charter's words. */
  private expected(parser: nearley.Parser): string[] {
    const literals = new Set<string>();
    const tables = new Map<string, string[]>();
    const tokens = new Set<string>();
    for (const { expectation } of this.scannable(parser)) {
      if (expectation.kind === 'literal') literals.add(JSON.stringify(expectation.text));
      else if (expectation.kind === 'entry') {
        const list = tables.get(expectation.table) ?? [];
        if (!list.includes(expectation.token)) list.push(expectation.token);
        tables.set(expectation.table, list);
      } else tokens.add(describeToken(expectation));
    }
    const words = [...literals];
    for (const [name, list] of tables) {
      words.push(`${name} (${list.slice(0, 8).join(', ')}${list.length > 8 ? ', …' : ''})`);
    }
    words.push(...tokens);
    return words;
  }
}

/** A token class with more texts than this is not offered by completion (it would drown the words). */
const MAX_OFFERED_TOKENS = 1000;

export function describeBounds(bounds: ReadonlyArray<[number, number]>): string {
  return bounds.map(([l, h]) => (l === h ? `${l}` : `${l}..${h}`)).join(', ');
}

function describeToken(e: Extract<Expectation, { kind: 'token' }>): string {
  return `<${e.owner}> (/${e.source}/${e.bounds.length > 0 ? ` in ${describeBounds(e.bounds)}` : ''})`;
}

/** A failure where a repetition refused a word (the parse ended there, at `end`), with that word and its place. */
function withConflict(failure: ParseFailure, conflict: PlacedConflict | undefined, end: number): ParseFailure {
  if (!conflict || conflict.end !== end) return failure;
  const { column, end: _, ...refused } = conflict;
  return { column, expected: [], conflict: refused };
}

/** Parses that differ (nearley can return the same derivation twice through empty parts). */
function distinct(results: RuleNode[]): RuleNode[] {
  if (results.length < 2) return results;
  const seen = new Map<string, RuleNode>();
  for (const r of results) {
    const key = derivationOf(r);
    if (!seen.has(key)) seen.set(key, r);
  }
  return [...seen.values()];
}
