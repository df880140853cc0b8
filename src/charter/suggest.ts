import { AddressTooComplexError } from './errors.js';
import type { Family } from './family.js';

const MAX_LOCAL_LENGTH = 64;
const SEGMENT = /[a-z0-9]/;

/**
 * Valid names close to a local part that failed at `column`: single edits (delete, insert,
 * replace, swap) around the failure, the word there replaced by each word the charter accepts at
 * its start or left out; only names as they are offered (canonical). Bounded: a few hundred parses at most.
 */
export function suggestNames(family: Family, local: string, column: number, limit = 3): string[] {
  if (local.length > MAX_LOCAL_LENGTH) return [];
  const candidates = new Set<string>();
  const at = column - 1;
  const alphabet = family.alphabet();
  for (let p = Math.max(0, at - 1); p <= Math.min(local.length, at + 1); p++) {
    if (p < local.length) candidates.add(local.slice(0, p) + local.slice(p + 1));
    if (p > 0 && p < local.length) candidates.add(local.slice(0, p - 1) + local[p] + local[p - 1] + local.slice(p + 1));
    for (const ch of alphabet) {
      candidates.add(local.slice(0, p) + ch + local.slice(p));
      if (p < local.length) candidates.add(local.slice(0, p) + ch + local.slice(p + 1));
    }
  }
  let start = Math.min(at, local.length);
  while (start > 0 && SEGMENT.test(local[start - 1] as string)) start--;
  let end = start;
  while (end < local.length && SEGMENT.test(local[end] as string)) end++;
  for (const word of withinBudget(() => family.wordsAfter(local.slice(0, start)), [])) candidates.add(local.slice(0, start) + word + local.slice(end));
  // The word left out with the separator before it: a word a repetition refuses (twice, or excluded).
  if (start > 0) candidates.add(local.slice(0, start - 1) + local.slice(end));

  candidates.delete(local);
  return [...candidates]
    .filter((c) => withinBudget(() => family.isName(c), false))
    .map((c) => ({ c, d: editDistance(c, local) }))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, limit)
    .map(({ c }) => c);
}

/** A parse's answer, or `otherwise` for a candidate too complex to read (it is no suggestion). */
function withinBudget<T>(work: () => T, otherwise: T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof AddressTooComplexError) return otherwise;
    throw error;
  }
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}
