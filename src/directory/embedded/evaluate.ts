import {
  AndFilter,
  ApproximateFilter,
  EqualityFilter,
  type Filter,
  GreaterThanEqualsFilter,
  LessThanEqualsFilter,
  NotFilter,
  OrFilter,
  PresenceFilter,
  SubstringFilter,
} from 'ldapts';
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

/** An entry's attributes by type, with values normalised by their type's equality rule. */
export class PreparedEntry {
  /** Per attribute of a known type: its type key, its options (if any) and its normalised values. */
  private readonly keys: string[] = [];
  private readonly options: (string[] | undefined)[] = [];
  private readonly normalized: (string | undefined)[][] = [];
  private classes: Set<string> | undefined;

  constructor(readonly entry: Entry) {
    for (const name in entry.attributes) {
      const semi = name.indexOf(';');
      const type = attributeType(semi < 0 ? name : name.slice(0, semi));
      if (!type) continue;
      this.keys.push(type.key);
      this.options.push(semi < 0 ? undefined : name.slice(semi + 1).toLowerCase().split(';'));
      this.normalized.push(normalizeAll(type, entry.attributes[name] as string[]));
    }
  }

  /** Whether a normalised value of the attributes described (the type or a subtype, with the options asked) passes. */
  some(description: AttributeDescription, predicate: (value: string) => boolean): boolean {
    for (let i = 0; i < this.keys.length; i++) {
      if (!description.type.subtypes.has(this.keys[i] as string) || !hasOptions(this.options[i], description.options)) continue;
      for (const value of this.normalized[i] as (string | undefined)[]) if (value !== undefined && predicate(value)) return true;
    }
    return false;
  }

  /** Whether the entry holds an attribute described. */
  has(description: AttributeDescription): boolean {
    for (let i = 0; i < this.keys.length; i++) {
      if (description.type.subtypes.has(this.keys[i] as string) && hasOptions(this.options[i], description.options)) return true;
    }
    return false;
  }

  /** Every (type key, normalised value) pair, for the equality index. */
  *indexKeys(): Generator<[string, string]> {
    for (let i = 0; i < this.keys.length; i++) {
      for (const value of this.normalized[i] as (string | undefined)[]) if (value !== undefined) yield [this.keys[i] as string, value];
    }
  }

  /** The entry's object classes with all their superclasses, as OIDs. */
  objectClasses(): Set<string> {
    this.classes ??= classClosure(this.entry.attributes.objectclass ?? []);
    return this.classes;
  }
}

function hasOptions(present: string[] | undefined, wanted: string[]): boolean {
  return wanted.length === 0 || (present !== undefined && wanted.every((o) => present.includes(o)));
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
  let out: (string | undefined)[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as string;
    const normalized = rule.normalize(value, 'equality');
    if (normalized !== value && !out) out = values.slice(0, i);
    out?.push(normalized);
  }
  return out ?? values;
}

/** A filter compiled once: types resolved, assertion values normalised. */
export type Compiled =
  | { kind: 'and' | 'or'; filters: Compiled[] }
  | { kind: 'not'; filter: Compiled }
  | { kind: 'constant'; truth: Truth }
  | { kind: 'equality'; attribute: AttributeDescription; value: string }
  | { kind: 'class'; oid: string }
  | { kind: 'present'; attribute: AttributeDescription }
  | { kind: 'substring'; attribute: AttributeDescription; initial?: string; any: string[]; final?: string }
  | { kind: 'ordering'; attribute: AttributeDescription; value: string; greater: boolean }
  | { kind: 'approx'; attribute: AttributeDescription; value: string; phonetic: boolean };

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
    return attribute && value !== undefined ? { kind: 'equality', attribute, value } : undefinedItem;
  }
  if (filter instanceof SubstringFilter) {
    const attribute = attributeDescription(filter.attribute);
    if (!attribute || !matchingRule(attribute.type.substr)) return undefinedItem;
    const initial = filter.initial ? assertion(attribute.type, filter.initial, 'initial') : undefined;
    const final = filter.final ? assertion(attribute.type, filter.final, 'final') : undefined;
    const any = filter.any.map((piece) => assertion(attribute.type, piece, 'any'));
    if ((filter.initial && initial === undefined) || (filter.final && final === undefined) || any.some((p) => p === undefined)) return undefinedItem;
    return { kind: 'substring', attribute, any: any as string[], ...(initial === undefined ? {} : { initial }), ...(final === undefined ? {} : { final }) };
  }
  if (filter instanceof GreaterThanEqualsFilter || filter instanceof LessThanEqualsFilter) {
    const attribute = attributeDescription(filter.attribute);
    const rule = attribute && matchingRule(attribute.type.ordering);
    const value = rule?.normalize(filter.value, 'equality');
    return attribute && value !== undefined ? { kind: 'ordering', attribute, value, greater: filter instanceof GreaterThanEqualsFilter } : undefinedItem;
  }
  if (filter instanceof ApproximateFilter) {
    const attribute = attributeDescription(filter.attribute);
    const rule = attribute && equalityRule(attribute.type);
    if (attribute?.type.key === 'objectclass') return classAssertion(filter.value);
    if (!attribute || !rule) return undefinedItem;
    const value = assertion(attribute.type, filter.value, rule.approx ? 'approx' : 'equality');
    return value === undefined ? undefinedItem : { kind: 'approx', attribute, value, phonetic: rule.approx === true };
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
      return entry.some(compiled.attribute, (v) => v === compiled.value) ? TRUE : FALSE;
    case 'substring':
      return entry.some(compiled.attribute, (v) => substringsMatch(v, compiled.initial, compiled.any, compiled.final)) ? TRUE : FALSE;
    case 'ordering':
      return entry.some(compiled.attribute, (v) => {
        const order = compareOrdered(v, compiled.value);
        return compiled.greater ? order >= 0 : order <= 0;
      })
        ? TRUE
        : FALSE;
    case 'approx':
      return entry.some(compiled.attribute, (v) => (compiled.phonetic ? approxMatch(v, compiled.value) : v === compiled.value)) ? TRUE : FALSE;
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
