import { type Compiled, FALSE, type PreparedEntry, UNDEFINED } from './evaluate.js';

const CLASSES = '#objectclass';

/**
 * Entry ids by normalised value, per attribute type, and by object class (superclasses included).
 * It narrows a search to candidates, a superset of the matches that are then tested in full.
 * The postings of a type are built the first time a filter asks for it: only the few attributes
 * that filters name cost memory.
 */
export class EqualityIndex {
  /** Type key -> normalised value -> one id, or ascending ids (most values name one entry: no array for them). */
  private readonly postings = new Map<string, Map<string, number | number[]>>();

  /** `entries` are the directory's, by id; they must not change once searched. */
  constructor(private readonly entries: readonly PreparedEntry[]) {}

  /** Ascending ids of the candidates, or undefined when the index cannot narrow the filter. */
  candidates(filter: Compiled): number[] | undefined {
    switch (filter.kind) {
      case 'constant':
        return filter.truth === FALSE || filter.truth === UNDEFINED ? [] : undefined;
      case 'class':
        return this.lookup(CLASSES, filter.oid);
      case 'equality':
        return union([...filter.attribute.type.subtypes].map((key) => this.lookup(key, filter.value)));
      case 'and': {
        let best: number[] | undefined;
        for (const f of filter.filters) {
          const ids = this.candidates(f);
          if (ids && (!best || ids.length < best.length)) best = ids;
        }
        return best;
      }
      case 'or': {
        const lists: number[][] = [];
        for (const f of filter.filters) {
          const ids = this.candidates(f);
          if (!ids) return undefined;
          lists.push(ids);
        }
        return union(lists);
      }
      default:
        return undefined;
    }
  }

  private lookup(key: string, value: string): number[] {
    const ids = this.postingsOf(key).get(value);
    return ids === undefined ? [] : typeof ids === 'number' ? [ids] : ids;
  }

  private postingsOf(key: string): Map<string, number | number[]> {
    let byValue = this.postings.get(key);
    if (byValue) return byValue;
    this.postings.set(key, (byValue = new Map()));
    for (let id = 0; id < this.entries.length; id++) {
      const entry = this.entries[id] as PreparedEntry;
      for (const value of key === CLASSES ? entry.objectClasses() : entry.normalizedValues(key)) post(byValue, value, id);
    }
    return byValue;
  }
}

function post(byValue: Map<string, number | number[]>, value: string, id: number): void {
  const ids = byValue.get(value);
  if (ids === undefined) byValue.set(value, id);
  else if (typeof ids === 'number') {
    if (ids !== id) byValue.set(value, [ids, id]);
  } else if (ids[ids.length - 1] !== id) ids.push(id);
}

function union(lists: number[][]): number[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
  return [...new Set(nonEmpty.flat())].sort((a, b) => a - b);
}
