import { AndFilter, type Filter, NotFilter, OrFilter } from 'ldapts';

/**
 * The parts a filter ANDs together, each printed in one form whatever the order of its own AND and
 * OR parts, sorted and each once: two lists whose filters have the same conjuncts have the same
 * members (`liste.chefs-56` and `liste.chefs.chefs-56` did, before a repetition refused a word
 * twice; two charter parts with one filter still do), and a list whose conjuncts include all of an
 * empty list's has no members either.
 */
export function conjunctsOf(filter: Filter): string[] {
  const parts = filter instanceof AndFilter ? flatten(filter, AndFilter).map(canonical) : [canonical(filter)];
  return [...new Set(parts)].sort();
}

function canonical(filter: Filter): string {
  if (filter instanceof AndFilter) return `(&${[...new Set(flatten(filter, AndFilter).map(canonical))].sort().join('')})`;
  if (filter instanceof OrFilter) return `(|${[...new Set(flatten(filter, OrFilter).map(canonical))].sort().join('')})`;
  if (filter instanceof NotFilter) return `(!${canonical(filter.filter)})`;
  return filter.toString();
}

/** The parts of nested ANDs (or ORs) as one list. */
function flatten(filter: AndFilter | OrFilter, kind: typeof AndFilter | typeof OrFilter): Filter[] {
  return filter.filters.flatMap((f) => (f instanceof kind ? flatten(f, kind) : [f]));
}
