import { AndFilter, OrFilter, PresenceFilter, type Filter } from 'ldapts';

/** The filter that matches every entry: `(objectClass=*)`. */
export function matchAll(): Filter {
  return new PresenceFilter({ attribute: 'objectClass' });
}

/**
 * ANDs or ORs filters, flattening nested ones of the same kind; one filter stands alone.
 * `undefined` stands for "no restriction": it drops out of an AND and swallows an OR. The result
 * is undefined when nothing restricts, so callers decide what "everything" is printed as.
 */
export function combine(op: 'and' | 'or', filters: readonly (Filter | undefined)[]): Filter | undefined {
  const Kind = op === 'and' ? AndFilter : OrFilter;
  const flat: Filter[] = [];
  for (const f of filters) {
    if (f === undefined) {
      if (op === 'or') return undefined;
      continue;
    }
    if (f instanceof Kind) flat.push(...f.filters);
    else flat.push(f);
  }
  if (flat.length === 0) return undefined;
  if (flat.length === 1) return flat[0];
  return new Kind({ filters: flat });
}
