import type { Filter } from 'ldapts';
import type { ListDefinition } from '../charter/list.js';
import type { ListPart } from '../charter/list-parts.js';
import type { Entry, EntryMatcher } from '../directory/directory.js';
import { t } from './messages.js';

export interface MemberExplanation {
  entry: Entry | null;
  parts: Array<{ label: string; filter: string; satisfied: boolean }>;
  reasons: string[];
}

/**
 * Why an address is, or is not, on a list: its directory entry (only the attributes the list's
 * filter and addresses use), each part of the list's filter with whether the entry satisfies it,
 * and the conclusion in words, in the family's language. `member` is the membership's own answer; this explains it.
 */
export function explainMember(list: ListDefinition, address: string, member: boolean, entry: Entry | null, parts: ListPart[], matches: EntryMatcher): MemberExplanation {
  const { memberAttribute, alternateAddressAttributes } = list.directory;
  const addressAttributes = [memberAttribute, ...alternateAddressAttributes].join(', ');
  const { language } = list;
  const said = { address, list: list.address };
  if (!entry) {
    return {
      entry: null,
      parts: parts.map((p) => ({ label: p.label, filter: p.filter.toString(), satisfied: false })),
      reasons: [member ? t(language, 'member', said) : t(language, 'noEntry', { ...said, base: list.directory.base, attributes: addressAttributes })],
    };
  }
  const checked = parts.map((p) => ({ label: p.label, filter: p.filter.toString(), satisfied: matches(entry, p.filter) }));
  const failed = checked.filter((p) => !p.satisfied);
  const reasons = checked.map((p) => t(language, 'satisfiesPart', { satisfied: p.satisfied ? 'yes' : 'no', label: p.label, filter: p.filter }));
  const quote = (label: string): string => (language === 'fr' ? `« ${label} »` : `“${label}”`);
  let conclusion: string;
  if (member) conclusion = t(language, 'memberByEntry', { ...said, dn: entry.dn });
  else if (failed.length > 0) conclusion = t(language, 'failsParts', { ...said, dn: entry.dn, parts: failed.map((p) => quote(p.label)).join(', ') });
  else conclusion = t(language, 'outside', { ...said, dn: entry.dn, base: list.directory.base, scope: list.directory.scope, attribute: memberAttribute });
  return {
    entry: shown(
      entry,
      list,
      parts.map((p) => p.filter),
    ),
    parts: checked,
    reasons: [conclusion, ...reasons],
  };
}

/** The entry cut to what explains the answer: never the whole entry (it may hold private attributes). */
function shown(entry: Entry, list: ListDefinition, filters: Filter[]): Entry {
  const wanted = new Set([list.directory.memberAttribute, ...list.directory.alternateAddressAttributes, ...filters.flatMap(attributesOf)].map((a) => a.toLowerCase()));
  const attributes: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(entry.attributes)) if (wanted.has(name.toLowerCase())) attributes[name] = values;
  return { dn: entry.dn, attributes };
}

function attributesOf(filter: Filter): string[] {
  const f = filter as unknown as { attribute?: string; filter?: Filter; filters?: Filter[] };
  if (f.filters) return f.filters.flatMap(attributesOf);
  if (f.filter) return attributesOf(f.filter);
  return f.attribute ? [f.attribute] : [];
}
