import { setImmediate as turn } from 'node:timers/promises';
import { enumerate } from './enumerate.js';
import type { Family } from './family.js';

/** How far into a family's names a page may start: enumeration walks every name before it. */
export const MAX_NAMES_OFFSET = 100_000;
/** Names enumerated between two turns of the event loop (enumeration parses each name: ~20 µs). */
const BATCH = 500;

interface Names {
  finite: boolean;
  open: string[];
  listed: string[];
  rest: Iterator<string> | undefined;
}

/** Names enumerated so far, per family (a reload makes new Family objects, and the old ones go). */
const enumerated = new WeakMap<Family, Names>();

/**
 * One page of a family's names (local parts), enumerated once and kept as far as pages reached;
 * the event loop turns between batches, so a far page does not hold other requests up. No name is
 * longer than `localPartMax` octets, the limit of the resolver that reads them (by default, its default).
 */
export async function familyNames(family: Family, offset: number, limit: number, localPartMax?: number): Promise<{ finite: boolean; open: string[]; names: string[]; more: boolean }> {
  let state = enumerated.get(family);
  if (!state) {
    const e = enumerate(family, { localPartMax });
    state = { finite: e.finite, open: e.open, listed: [], rest: e.names[Symbol.iterator]() };
    enumerated.set(family, state);
  }
  // One name past the page says whether there are more.
  while (state.rest && state.listed.length <= offset + limit) {
    for (let i = 0; i < BATCH && state.rest && state.listed.length <= offset + limit; i++) {
      const next = state.rest.next();
      if (next.done) state.rest = undefined;
      else state.listed.push(next.value);
    }
    if (state.rest) await turn();
  }
  return { finite: state.finite, open: state.open, names: state.listed.slice(offset, offset + limit), more: state.listed.length > offset + limit };
}
