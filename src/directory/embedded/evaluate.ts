import { AndFilter, ApproximateFilter, EqualityFilter, type Filter, GreaterThanEqualsFilter, LessThanEqualsFilter, NotFilter, OrFilter, PresenceFilter, SubstringFilter } from 'ldapts';
import type { Entry } from '../directory.js';
import { normalizeDN } from './dn.js';
import { approxMatch, compareOrdered, type MatchingRule, matchingRule, substringsMatch, type Use } from './matching.js';
import { type AttributeDescription, attributeDescription, type AttributeType, attributeType, objectClass } from './schema.js';

/**
 * Filters evaluated as slapd does (RFC 4511 §4.5.1.7): each item is True, False or Undefined.
 * An attribute type the schema does not know, a value its syntax refuses, or a match its type has
 * no rule for is Undefined; NOT Undefined is Undefined; only True selects an entry.
 */
export const TRUE = 1;
export const FALSE = 0;
export const UNDEFINED = 2;
export type Truth = typeof TRUE | typeof FALSE | typeof UNDEFINED;

/**
 * An entry's attributes by type, with values normalised by their type's equality rule. Arrays are
 * allocated at their final size: a directory holds millions of them.
 */
export class PreparedEntry {
  /** Per attribute of a known type: its type key, its options (none for most entries) and its normalised values. */
  private readonly keys: string[];
  private readonly options: (string[] | undefined)[] | undefined;
  private readonly normalized: (string | undefined)[][];
  /** The objectClass values, whatever the attribute was called (objectClass, OBJECTCLASS, 2.5.4.0). */
  private classNames: string[] | undefined;
  private classes: Set<string> | undefined;

  constructor(readonly entry: Entry) {
    const names = Object.keys(entry.attributes).filter((name) => attributeType(typeOf(name)) !== undefined);
    const types = names.map((name) => attributeType(typeOf(name)) as AttributeType);
    this.keys = types.map((type) => type.key);
    this.normalized = names.map((name, i) => normalizeAll(types[i] as AttributeType, entry.attributes[name] as string[]));
    this.options = names.some((name) => name.includes(';')) ? names.map(optionsOf) : undefined;
    names.forEach((name, i) => {
      if (this.keys[i] !== 'objectclass') return;
      const values = entry.attributes[name] as string[];
      this.classNames = this.classNames ? [...this.classNames, ...values] : values;
    });
  }

  /** Whether a normalised value of the attributes described (the type or a subtype, with the options asked) passes. */
  some(description: AttributeDescription, predicate: (value: string) => boolean): boolean {
    for (let i = 0; i < this.keys.length; i++) {
      if (!this.describes(i, description)) continue;
      for (const value of this.normalized[i] as (string | undefined)[]) if (value !== undefined && predicate(value)) return true;
    }
    return false;
  }

  /** Whether the entry holds an attribute described. */
  has(description: AttributeDescription): boolean {
    for (let i = 0; i < this.keys.length; i++) if (this.describes(i, description)) return true;
    return false;
  }

  /** Whether the i-th attribute is of the type described (or a subtype) and has the options asked. */
  private describes(i: number, { type, options }: AttributeDescription): boolean {
    const key = this.keys[i] as string;
    // Most types have no subtype: one comparison of the (shared) key string, no set lookup.
    if (type.subtypes.size === 1 ? key !== type.key : !type.subtypes.has(key)) return false;
    return options.length === 0 || hasOptions(this.options?.[i], options);
  }

  /** The normalised values of one type (its own values, not its subtypes'), for the equality index. */
  *normalizedValues(key: string): Generator<string> {
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] !== key) continue;
      for (const value of this.normalized[i] as (string | undefined)[]) if (value !== undefined) yield value;
    }
  }

  /** The entry's object classes with all their superclasses, as OIDs. */
  objectClasses(): Set<string> {
    this.classes ??= classClosure(this.classNames ?? []);
    return this.classes;
  }
}

function typeOf(name: string): string {
  const semi = name.indexOf(';');
  return semi < 0 ? name : name.slice(0, semi);
}

function optionsOf(name: string): string[] | undefined {
  const semi = name.indexOf(';');
  return semi < 0
    ? undefined
    : name
        .slice(semi + 1)
        .toLowerCase()
        .split(';');
}

function hasOptions(present: string[] | undefined, wanted: string[]): boolean {
  return present !== undefined && wanted.every((o) => present.includes(o));
}

/** Entries with the same object classes share one closure. */
const closures = new Map<string, Set<string>>();
function classClosure(names: string[]): Set<string> {
  const key = names.join('\n').toLowerCase();
  let oids = closures.get(key);
  if (!oids) {
    oids = new Set<string>();
    for (const name of names) for (const oid of objectClass(name)?.superclasses ?? []) oids.add(oid);
    if (closures.size < 10_000) closures.set(key, oids);
  }
  return oids;
}

/** The values normalised; the same array when normalising changes nothing (most values), to spare memory. */
function normalizeAll(type: AttributeType, values: string[]): (string | undefined)[] {
  const rule = equalityRule(type);
  if (!rule) return values.map(() => undefined);
  const normalized = values.map((value) => rule.normalize(value, 'equality'));
  return normalized.every((value, i) => value === values[i]) ? values : normalized;
}

/** A filter compiled once: types resolved, assertion values normalised. */
export type Compiled =
  | { kind: 'and' | 'or'; filters: Compiled[] }
  | { kind: 'not'; filter: Compiled }
  | { kind: 'constant'; truth: Truth }
  | { kind: 'equality'; attribute: AttributeDescription; value: string; matches: (value: string) => boolean }
  | { kind: 'class'; oid: string }
  | { kind: 'present'; attribute: AttributeDescription }
  /** Substrings, ordering, approximate: a test of each normalised value. */
  | { kind: 'match'; attribute: AttributeDescription; matches: (value: string) => boolean };

const undefinedItem: Compiled = { kind: 'constant', truth: UNDEFINED };

export function compile(filter: Filter): Compiled {
  if (filter instanceof AndFilter || filter instanceof OrFilter) {
    return { kind: filter instanceof AndFilter ? 'and' : 'or', filters: filter.filters.map(compile) };
  }
  if (filter instanceof NotFilter) {
    const inner = compile(filter.filter);
    if (inner.kind !== 'constant') return { kind: 'not', filter: inner };
    return { kind: 'constant', truth: inner.truth === UNDEFINED ? UNDEFINED : inner.truth === TRUE ? FALSE : TRUE };
  }
  if (filter instanceof PresenceFilter) {
    const attribute = attributeDescription(filter.attribute);
    return attribute ? { kind: 'present', attribute } : undefinedItem;
  }
  if (filter instanceof EqualityFilter) {
    const attribute = attributeDescription(filter.attribute);
    const text = typeof filter.value === 'string' ? filter.value : filter.value.toString('utf8');
    if (attribute?.type.key === 'objectclass') return classAssertion(text);
    const value = attribute && assertion(attribute.type, text, 'equality');
    return attribute && value !== undefined ? { kind: 'equality', attribute, value, matches: (v) => v === value } : undefinedItem;
  }
  if (filter instanceof SubstringFilter) {
    const attribute = attributeDescription(filter.attribute);
    if (!attribute || !matchingRule(attribute.type.substr)) return undefinedItem;
    const initial = filter.initial ? assertion(attribute.type, filter.initial, 'initial') : undefined;
    const final = filter.final ? assertion(attribute.type, filter.final, 'final') : undefined;
    const any = filter.any.map((piece) => assertion(attribute.type, piece, 'any'));
    if ((filter.initial && initial === undefined) || (filter.final && final === undefined) || any.some((p) => p === undefined)) return undefinedItem;
    return { kind: 'match', attribute, matches: (v) => substringsMatch(v, initial, any as string[], final) };
  }
  if (filter instanceof GreaterThanEqualsFilter || filter instanceof LessThanEqualsFilter) {
    const attribute = attributeDescription(filter.attribute);
    const rule = attribute && matchingRule(attribute.type.ordering);
    const value = rule?.normalize(filter.value, 'equality');
    if (!attribute || !rule || value === undefined) return undefinedItem;
    const compare = rule.compare ?? compareOrdered;
    const greater = filter instanceof GreaterThanEqualsFilter;
    return { kind: 'match', attribute, matches: (v) => (greater ? compare(v, value) >= 0 : compare(v, value) <= 0) };
  }
  if (filter instanceof ApproximateFilter) {
    const attribute = attributeDescription(filter.attribute);
    const rule = attribute && equalityRule(attribute.type);
    if (attribute?.type.key === 'objectclass') return classAssertion(filter.value);
    if (!attribute || !rule) return undefinedItem;
    const value = assertion(attribute.type, filter.value, rule.approx ? 'approx' : 'equality');
    if (value === undefined) return undefinedItem;
    return { kind: 'match', attribute, matches: rule.approx ? (v) => approxMatch(v, value) : (v) => v === value };
  }
  // Extensible matches (and anything else) are not supported: Undefined, never a guess.
  return undefinedItem;
}

/** objectClass matches by class or subclass (slapd's objectSubClassMatch); an unknown class is Undefined. */
function classAssertion(name: string): Compiled {
  const oc = objectClass(name);
  return oc ? { kind: 'class', oid: oc.oid } : undefinedItem;
}

/** Evaluates a compiled filter on one entry. */
export function test(compiled: Compiled, entry: PreparedEntry): Truth {
  switch (compiled.kind) {
    case 'and': {
      let result: Truth = TRUE;
      for (const f of compiled.filters) {
        const t = test(f, entry);
        if (t === FALSE) return FALSE;
        if (t === UNDEFINED) result = UNDEFINED;
      }
      return result;
    }
    case 'or': {
      let result: Truth = FALSE;
      for (const f of compiled.filters) {
        const t = test(f, entry);
        if (t === TRUE) return TRUE;
        if (t === UNDEFINED) result = UNDEFINED;
      }
      return result;
    }
    case 'not': {
      const t = test(compiled.filter, entry);
      return t === UNDEFINED ? UNDEFINED : t === TRUE ? FALSE : TRUE;
    }
    case 'constant':
      return compiled.truth;
    case 'class':
      return entry.objectClasses().has(compiled.oid) ? TRUE : FALSE;
    case 'present':
      return entry.has(compiled.attribute) ? TRUE : FALSE;
    case 'equality':
    case 'match':
      return entry.some(compiled.attribute, compiled.matches) ? TRUE : FALSE;
  }
}

const compiledFilters = new WeakMap<Filter, Compiled>();
const preparedEntries = new WeakMap<Entry, PreparedEntry>();

/**
 * Whether one entry matches a filter, with LDAP semantics (Undefined does not match). The entry's
 * attribute names may be any of the schema's names, in any case.
 */
export function matchesEntry(entry: Entry, filter: Filter): boolean {
  let compiled = compiledFilters.get(filter);
  if (!compiled) compiledFilters.set(filter, (compiled = compile(filter)));
  let prepared = preparedEntries.get(entry);
  if (!prepared) preparedEntries.set(entry, (prepared = new PreparedEntry(entry)));
  return test(compiled, prepared) === TRUE;
}

/** The equality rule of a type, as a rule object (DN-valued types included). */
function equalityRule(type: AttributeType): MatchingRule | undefined {
  if (type.equality === 'distinguishedNameMatch') return DN_RULE;
  if (type.equality === 'uniqueMemberMatch') return UNIQUE_MEMBER_RULE;
  return matchingRule(type.equality);
}

/** An assertion value normalised by the type's equality rule (slapd validates substring pieces with it too). */
function assertion(type: AttributeType, value: string, use: Use): string | undefined {
  return equalityRule(type)?.normalize(value, use);
}

const DN_RULE: MatchingRule = { normalize: (value) => normalizeDN(value) };

/** `DN#'0101'B`: the DN normalised, the optional bit string kept. */
const UNIQUE_MEMBER_RULE: MatchingRule = {
  normalize(value) {
    const uid = /#'[01]*'B$/.exec(value);
    const dn = normalizeDN(uid ? value.slice(0, uid.index) : value);
    return dn === undefined ? undefined : dn + (uid?.[0] ?? '');
  },
};
