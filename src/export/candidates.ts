import type { Family } from '../charter/family.js';
import type { ListDefinition } from '../charter/list.js';
import type { CompiledItem } from '../charter/model.js';

/**
 * The list each name stands for, as the resolver would define it; none for a name the resolver
 * refuses as read two ways with different filters. Pure.
 */
export function listOf(family: Family, name: string): ListDefinition | undefined {
  const outcome = family.parse(name);
  // Another order of a list's words is the same list, under its canonical name.
  if (!outcome.ok || outcome.canonical !== name) return undefined;
  const domain = family.header.domains[0] as string;
  const lists = outcome.derivations.map((root) => family.define(root, name, domain));
  return new Set(lists.map((l) => l.filterText)).size === 1 ? lists[0] : undefined;
}

/**
 * Whether every repetition of the family ANDs its items (`matching all`): then a name whose widest
 * repetition has n+1 items has no more members than the same name with one item left out, so once
 * a round of names has no list with members, no later round has any.
 */
export function repetitionsNarrow(family: Family): boolean {
  const narrows = (item: CompiledItem): boolean => {
    if (item.type === 'repeat') return item.combine === 'all' && narrows(item.item);
    if (item.type === 'optional') return item.alternatives.every((alt) => alt.items.every(narrows));
    return true;
  };
  return family.rules.every((rule) => rule.alternatives.every((alt) => alt.items.every(narrows)));
}
