import type { Filter } from 'ldapts';
import type { ListDefinition } from '../charter/list.js';
import type { ListPart } from '../charter/list-parts.js';
import type { Entry, EntryMatcher } from '../directory/directory.js';

export interface MemberExplanation {
  entry: Entry | null;
  parts: Array<{ label: string; filter: string; satisfied: boolean }>;
  reasons: string[];
}

/**
 * Why an address is, or is not, on a list: its directory entry (only the attributes the list's
 * filter and addresses use), each part of the list's filter with whether the entry satisfies it,
 * and the conclusion in words. `member` is the membership's own answer; this explains it.
 */
export function explainMember(list: ListDefinition, address: string, member: boolean, entry: Entry | null, parts: ListPart[], matches: EntryMatcher): MemberExplanation {
  const { memberAttribute, alternateAddressAttributes } = list.directory;
  const addressAttributes = [memberAttribute, ...alternateAddressAttributes].join(', ');
  if (!entry) {
    return {
      entry: null,
      parts: parts.map((p) => ({ label: p.label, filter: p.filter.toString(), satisfied: false })),
      reasons: [member ? `${address} is a member of ${list.address}` : `${address} is not a member of ${list.address}: no directory entry under ${list.directory.base} has it in ${addressAttributes}`],
    };
  }
  const checked = parts.map((p) => ({ label: p.label, filter: p.filter.toString(), satisfied: matches(entry, p.filter) }));
  const failed = checked.filter((p) => !p.satisfied);
  const reasons = checked.map((p) => `${p.satisfied ? 'satisfies' : 'does not satisfy'} “${p.label}” ${p.filter}`);
  let conclusion: string;
  if (member) conclusion = `${address} is a member of ${list.address}: the entry ${entry.dn} satisfies every part of its filter`;
  else if (failed.length > 0) conclusion = `${address} is not a member of ${list.address}: the entry ${entry.dn} does not satisfy ${failed.map((p) => `“${p.label}”`).join(', ')}`;
  else
    conclusion = `${address} is not a member of ${list.address}: the entry ${entry.dn} satisfies the filter but is outside the list’s base and scope (${list.directory.base}, ${list.directory.scope}) or has no ${memberAttribute}`;
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
