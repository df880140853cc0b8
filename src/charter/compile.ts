import { parseFilter } from '../filter/index.js';
import { buildAddressGrammar } from './address-grammar.js';
import { checkAmbiguity } from './ambiguity.js';
import { compileHeader, type PlacedPlaceholder } from './compile-header.js';
import { compileNamedConditions, compileRights, type ConditionScope, type NamedConditions } from './compile-rights.js';
import { checkPlaceholder, compileRules } from './compile-rules.js';
import { AddressTooComplexError, CharterError } from './errors.js';
import { Family, describeBounds, type ParseFailure, type ParseOutcome } from './family.js';
import { parseLexicon, type Lexicon } from './lexicon.js';
import { type CharterMessage, eitherOf, formatCharterMessage } from './messages.js';
import { parseCharter } from './parse-charter.js';
import { Problems } from './problems.js';
import { derivationOf } from './semantics.js';
import type { ExampleStatement, Statement } from './syntax.js';

/** A family's files, as read from its folder: the charter and its lexicon tables. */
export interface CharterSource {
  /** The family name (its folder's name). */
  name: string;
  file: string;
  text: string;
  lexicons: Array<{ name: string; file: string; text: string }>;
}

function ofType<T extends Statement['type']>(statements: Statement[], type: T): Extract<Statement, { type: T }>[] {
  return statements.filter((s): s is Extract<Statement, { type: T }> => s.type === type);
}

/** What the site's configuration changes in every family (LDAP_BASE_DN). */
export interface FamilyOverrides {
  base?: string;
  cacheTtlSeconds?: number;
}

/** Compiles a charter into a Family, or throws a CharterError listing every problem found. */
export function compileFamily(source: CharterSource, shared: NamedConditions = new Map(), overrides: FamilyOverrides = {}): Family {
  const statements = parseCharter(source.text, source.file);
  const problems = new Problems(source.file);

  const lexicons = new Map<string, Lexicon>();
  for (const l of source.lexicons) {
    const { lexicon, problems: found } = parseLexicon(l.name, l.file, l.text);
    problems.list.push(...found);
    lexicons.set(l.name, lexicon);
  }
  const lexiconProblems = problems.list.length;

  const placed: PlacedPlaceholder[] = [];
  const header = compileHeader(ofType(statements, 'header'), source.name, source.file, problems, placed);
  if (overrides.base !== undefined) header.directory.base = overrides.base;
  if (overrides.cacheTtlSeconds !== undefined) header.cacheTtlSeconds = overrides.cacheTtlSeconds;
  const beforeRules = problems.list.length;
  const grammar = compileRules(ofType(statements, 'rule'), lexicons, problems);
  // Examples need only a sound grammar: with it, they are checked whatever else is wrong, so that one check reports everything.
  let grammarSound = lexiconProblems === 0 && problems.list.length === beforeRules;
  const partsOfList = grammar.reach.get(grammar.start)?.rules ?? new Set<string>();
  const scope: ConditionScope = {
    named: new Map(shared),
    checkPlaceholder: (p, at) => checkPlaceholder(p, partsOfList, grammar.reach, lexicons, at, problems),
  };
  for (const { placeholder, at } of placed) scope.checkPlaceholder?.(placeholder, at);
  compileNamedConditions(ofType(statements, 'condition'), scope, problems);
  const rights = compileRights(ofType(statements, 'rights'), scope, problems);
  if (grammarSound) {
    const beforeAmbiguity = problems.list.length;
    checkAmbiguity(grammar.rules, grammar.start, problems);
    grammarSound = problems.list.length === beforeAmbiguity;
  }
  if (!grammarSound) throw new CharterError(problems.list);

  const examples = ofType(statements, 'example');
  const family = new Family(
    header,
    grammar.rules,
    rights,
    buildAddressGrammar(grammar.rules, grammar.start),
    examples.map((e) => (e.filter ? { address: e.address.value, filter: e.filter.value } : { address: e.address.value })),
  );
  for (const example of examples) checkExample(family, example, problems);
  if (problems.list.length > 0) throw new CharterError(problems.list);
  return family;
}

/** Compiles the shared file of named conditions (only `condition NAME = ...` statements). */
export function compileSharedConditions(file: string, text: string): NamedConditions {
  const problems = new Problems(file);
  const statements = parseCharter(text, file);
  for (const s of statements) if (s.type !== 'condition') problems.add(s, { key: 'shared.only-conditions' });
  const scope: ConditionScope = { named: new Map() };
  compileNamedConditions(ofType(statements, 'condition'), scope, problems);
  if (problems.list.length > 0) throw new CharterError(problems.list);
  return scope.named;
}

function checkExample(family: Family, example: ExampleStatement, problems: Problems): void {
  const [local = '', domain] = example.address.value.toLowerCase().split('@');
  if (domain !== undefined && !family.header.domains.includes(domain)) {
    problems.add(example.address, { key: 'example.domain', values: { domain } });
    return;
  }
  let outcome: ParseOutcome;
  try {
    outcome = family.parse(local);
  } catch (error) {
    if (!(error instanceof AddressTooComplexError)) throw error;
    problems.add(example.address, { key: 'example.too-complex', values: { name: local, family: family.name } });
    return;
  }
  if (!example.filter) {
    if (outcome.ok) problems.add(example.address, { key: 'example.not-refused', values: { name: local, filter: family.define(outcome.root, local, '').filterText } });
    return;
  }
  if (!outcome.ok) {
    problems.add(example.address, { key: 'example.no-name', values: { name: local, reason: failureMessage(local, outcome.failure) } });
    return;
  }
  if (outcome.canonical !== local) {
    problems.add(example.address, { key: 'example.not-canonical', values: { name: local, canonical: outcome.canonical } });
    return;
  }
  if (outcome.derivations.length > 1) {
    const [a = '', b = ''] = outcome.derivations.map(derivationOf);
    problems.add(example.address, { key: 'example.two-readings', values: { name: local, a, b } });
    return;
  }
  const expectedText = example.filter;
  const expected = problems.guard(expectedText, () => parseFilter(expectedText.value));
  if (!expected) return;
  const actual = family.define(outcome.root, local, '').filterText;
  if (actual !== expected.toString()) problems.add(example.address, { key: 'example.filter', values: { name: local, actual, expected: expected.toString() } });
}

/** Where a name goes wrong: "at column 13, found "z", expected ...", for words in any language. */
export function failureMessage(local: string, failure: ParseFailure): CharterMessage {
  if (failure.conflict?.kind === 'repeated') return { key: 'failure.repeated', values: { column: failure.column, token: failure.conflict.token } };
  if (failure.conflict?.kind === 'exclusive') return { key: 'failure.exclusive', values: { column: failure.column, token: failure.conflict.token, other: failure.conflict.other } };
  if (failure.canonical !== undefined) return { key: 'failure.order', values: { column: failure.column, canonical: failure.canonical } };
  if (failure.outOfBounds) {
    const { part, text, bounds } = failure.outOfBounds;
    return { key: 'failure.out-of-bounds', values: { column: failure.column, part, text, bounds: describeBounds(bounds) } };
  }
  const found: string | CharterMessage = failure.column <= local.length ? JSON.stringify(local[failure.column - 1]) : { key: 'failure.end-of-name' };
  const expected: string | CharterMessage = failure.expected.length === 0 ? { key: 'nothing-more' } : eitherOf(failure.expected);
  return { key: 'failure.unexpected', values: { column: failure.column, found, expected } };
}

/** A parse failure in English, as the resolver's errors say it. */
export function describeFailure(local: string, failure: ParseFailure): string {
  return formatCharterMessage('en', failureMessage(local, failure));
}
