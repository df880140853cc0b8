import type { Filter } from 'ldapts';
import type { ListDefinition } from './list.js';
import type { ParseNode } from './model.js';
import type { Resolver } from './resolver.js';
import { filterOf, labelOf } from './semantics.js';

/** One condition a member must meet, as the charter words it: `chefs` is (title=chef). */
export interface ListPart {
  label: string;
  filter: Filter;
}

/**
 * The parts of a list's filter that its name's parts contribute, each with its label (the AND of
 * them is the list's filter): `liste.chefs.civils-56` is `chefs`, `civils`, `du département 56`.
 * A part whose alternative has its own filter stays whole; a `matching any` repetition is one part.
 */
export function listParts(resolver: Resolver, list: ListDefinition): ListPart[] {
  const outcome = resolver.family(list.family)?.parse(list.name);
  const parts = outcome?.ok ? partsOf(outcome.root) : [];
  return parts.length > 0 ? parts : [{ label: list.description, filter: list.filter }];
}

function partsOf(node: ParseNode): ListPart[] {
  if (typeof node === 'string' || node.k === 'token') return [];
  if (node.k === 'repeat' && node.item.combine === 'all') return node.items.flatMap(partsOf);
  const whole = node.k === 'entry' || node.k === 'repeat' || node.alternative?.filter !== undefined;
  if (!whole) return node.children.flatMap(partsOf);
  const filter = filterOf(node);
  return filter ? [{ label: labelOf(node) || node.text, filter }] : [];
}
