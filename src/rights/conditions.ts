import type { Filter } from 'ldapts';
import { describeCondition } from '../charter/describe.js';
import type { ListDefinition } from '../charter/list.js';
import type { Condition } from '../charter/rights.js';
import type { Entry } from '../directory/directory.js';
import { attributeType } from '../directory/index.js';
import { fillValue, parseTextTemplate } from '../filter/index.js';
import type { Language } from '../i18n/index.js';
import { t } from './messages.js';
import type { DecisionContext, Standing } from './types.js';

/** The sender a decision is about, with lazy directory answers (each asked at most once). */
export interface Subject {
  list: ListDefinition;
  /** Normalised sender address; empty for a bounce. */
  sender: string;
  domain: string;
  context: DecisionContext;
  entry(): Promise<Entry | null>;
  /** Whether the sender is a member of the list, as mail counts members. */
  standing(list: ListDefinition): Promise<Standing>;
  /** The list another charter address names, or a message saying why there is none. */
  resolve(address: string): ListDefinition | string;
  matches(entry: Entry, filter: Filter): boolean;
}

/** A condition's truth: `unknown` for what only the message can tell (DKIM, SPF, DMARC before DATA). */
export type Truth = boolean | 'unknown';

export interface Evaluation {
  value: Truth;
  /** Each condition checked, with its result, in words. */
  reasons: string[];
  /** What the sender's directory entry showed ("title is gendarme"), for a labelled condition to quote. */
  facts?: string[];
}

const yes = (reason: string, facts?: string[]): Evaluation => (facts ? { value: true, reasons: [reason], facts } : { value: true, reasons: [reason] });
const no = (reason: string, facts?: string[]): Evaluation => (facts ? { value: false, reasons: [reason], facts } : { value: false, reasons: [reason] });

/** Evaluates a condition, its reasons in the list's language; directory failures propagate (the caller turns them into a defer). */
export async function evaluate(condition: Condition, s: Subject): Promise<Evaluation> {
  const { language } = s.list;
  const who = s.sender === '' ? t(language, 'emptySender') : t(language, 'sender', { sender: s.sender });
  switch (condition.kind) {
    case 'anyone':
      return yes(t(language, 'anyone'));
    case 'empty-sender':
      return s.sender === '' ? yes(t(language, 'isEmpty')) : no(t(language, 'isNotEmpty', { who }));
    case 'domain':
      return condition.domains.includes(s.domain)
        ? yes(t(language, 'inDomain', { who, domain: s.domain }))
        : no(t(language, 'notInDomain', { who, domains: condition.domains.join(t(language, 'or')) }));
    case 'authenticated':
      return s.context.authenticatedUser ? yes(t(language, 'authenticatedAs', { user: s.context.authenticatedUser })) : no(t(language, 'notAuthenticated'));
    case 'dkim':
    case 'spf':
    case 'dmarc': {
      const method = condition.kind.toUpperCase();
      if (s.context.beforeMessage) return { value: 'unknown', reasons: [t(language, 'unknownBeforeMessage', { method })] };
      const result = s.context[condition.kind] ?? 'none';
      return result === condition.result ? yes(t(language, 'result', { method, result })) : no(t(language, 'otherResult', { method, result, expected: condition.result }));
    }
    case 'in-directory': {
      const entry = await s.entry();
      return entry ? yes(t(language, 'inDirectory', { who, dn: entry.dn })) : no(t(language, 'notInDirectory', { who }));
    }
    case 'sender-matches': {
      const entry = await s.entry();
      if (!entry) return no(t(language, 'cannotMatch', { who, filter: condition.text }), [t(language, 'noEntry')]);
      const values = describeValues(entry, condition.filter, language);
      const found = { who, filter: condition.text, values };
      return s.matches(entry, condition.filter) ? yes(t(language, 'matches', found), [values]) : no(t(language, 'doesNotMatch', found), [values]);
    }
    case 'member':
      if (s.sender === '') return no(t(language, 'nobodysAddress'));
      return membership(language, who, s.list, await s.standing(s.list));
    case 'member-of': {
      const address = memberOfAddress(condition.template, s.list);
      const other = s.resolve(address);
      if (typeof other === 'string') return no(t(language, 'notAList', { address, why: other }));
      if (s.sender === '') return no(t(language, 'nobodysAddress'));
      return membership(language, who, other, await s.standing(other));
    }
    case 'named': {
      const inner = await evaluate(condition.condition, s);
      if (condition.label !== undefined) return labelled(language, condition.label, who, inner);
      return { ...inner, reasons: inner.reasons.map((reason) => t(language, 'named', { name: condition.name, reason })) };
    }
    case 'not': {
      const inner = await evaluate(condition.condition, s);
      const described = { condition: describeCondition(condition, language) };
      if (inner.value === 'unknown') return { ...inner, reasons: [...inner.reasons, t(language, 'notDependsOnMessage', described)] };
      return { ...inner, value: !inner.value, reasons: [...inner.reasons, t(language, inner.value ? 'notFails' : 'notHolds', described)] };
    }
    case 'all':
    case 'any': {
      // Kleene's logic: all: the first false decides, else an unknown part leaves it unknown; any: the same with true.
      const decisive = condition.kind === 'any';
      const parts: Evaluation[] = [];
      for (const c of condition.conditions) {
        const part = await evaluate(c, s);
        parts.push(part);
        if (part.value === decisive) return combined(decisive, parts);
      }
      return combined(parts.some((p) => p.value === 'unknown') ? 'unknown' : !decisive, parts);
    }
  }
}

/** Whether the sender is a member of the list, and the person's own choice when that decided rather than the directory. */
function membership(language: Language, who: string, list: ListDefinition, standing: Standing): Evaluation {
  const said = { who, list: list.address };
  if (standing.by === 'subscribed') return yes(t(language, 'memberBySubscribing', said));
  if (standing.by === 'unsubscribed') return no(t(language, 'notMemberByUnsubscribing', said));
  if (standing.by === 'no-longer-admitted') return no(t(language, 'notMemberNoLongerAdmitted', said));
  return standing.member ? yes(t(language, 'memberOf', said)) : no(t(language, 'notMemberOf', said));
}

/**
 * A labelled condition in the label's words, then what the sender's entry showed: "sender x@y is a
 * chef: title is Chef", "sender x@y is not a chef: title is gendarme". A condition that reads no
 * attribute (member of, domain) keeps its own reasons after the label's sentence instead, so that
 * the why is never lost.
 */
function labelled(language: Language, label: string, who: string, inner: Evaluation): Evaluation {
  if (inner.value === 'unknown') return { value: 'unknown', reasons: [t(language, 'labelDependsOnMessage', { who, label }), ...inner.reasons] };
  const sentence = t(language, inner.value ? 'isLabel' : 'isNotLabel', { who, label });
  if (inner.facts === undefined) return { value: inner.value, reasons: [sentence, ...inner.reasons] };
  return { value: inner.value, reasons: [t(language, 'withFacts', { sentence, facts: inner.facts.join('; ') })], facts: inner.facts };
}

function combined(value: Truth, parts: Evaluation[]): Evaluation {
  const facts = parts.flatMap((p) => p.facts ?? []);
  const reasons = parts.flatMap((p) => p.reasons);
  return facts.length > 0 ? { value, reasons, facts: [...new Set(facts)] } : { value, reasons };
}

/** The address a `member of` template names for this list: its placeholders filled from the list's parse. */
export function memberOfAddress(template: string, list: ListDefinition): string {
  const filled = fillValue(parseTextTemplate(template), (p) => {
    const value = list.params[p.part];
    return Array.isArray(value) ? value.join('.') : (value ?? '');
  });
  return filled.includes('@') ? filled : `${filled}@${list.domain}`;
}

/** "title is gendarme": the entry's values of the attributes a filter tests, under any of their names. */
function describeValues(entry: Entry, filter: Filter, language: Language): string {
  // Each attribute once, spelled as the filter first writes it (employeeType, not employeetype).
  const spelled = new Map<string, string>();
  for (const a of attributesOf(filter)) if (!spelled.has(a.toLowerCase())) spelled.set(a.toLowerCase(), a);
  return [...spelled.values()]
    .map((a) => {
      const values = valuesOf(entry, a);
      return values.length > 0 ? t(language, 'value', { attribute: a, values: values.join(', ') }) : t(language, 'absent', { attribute: a });
    })
    .join('; ');
}

/** The values of an attribute, whichever of the schema's names (cn, commonName) the entry uses. */
function valuesOf(entry: Entry, spelled: string): string[] {
  const attribute = spelled.toLowerCase();
  const key = attributeType(attribute)?.key ?? attribute;
  const values: string[] = [];
  for (const [name, held] of Object.entries(entry.attributes)) {
    const lower = name.toLowerCase();
    if (lower === attribute || (attributeType(lower)?.key ?? lower) === key) values.push(...held);
  }
  return values;
}

function attributesOf(filter: Filter): string[] {
  const f = filter as unknown as { attribute?: string; filter?: Filter; filters?: Filter[] };
  if (f.filters) return f.filters.flatMap(attributesOf);
  if (f.filter) return attributesOf(f.filter);
  return f.attribute ? [f.attribute] : [];
}
