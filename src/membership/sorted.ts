import { memberKey } from './member-addresses.js';

// Member arrays are sorted by memberKey with Array.prototype.sort's default order (UTF-16 code
// units), which is exactly the order of the `<` operator on strings: these searches rely on it.
// Values are compared by their memberKey, so a search finds a member whatever the case it is given in.

/** Whether the sorted array holds the value (compared by memberKey). */
export function includesSorted(sorted: readonly string[], value: string): boolean {
  const key = memberKey(value);
  const i = firstIndexAtLeast(sorted, key);
  return i < sorted.length && memberKey(sorted[i] as string) === key;
}

/** The index of the first value whose memberKey is greater than the value's (the length when there is none). */
export function indexAfter(sorted: readonly string[], value: string): number {
  const key = memberKey(value);
  const i = firstIndexAtLeast(sorted, key);
  return i < sorted.length && memberKey(sorted[i] as string) === key ? i + 1 : i;
}

function firstIndexAtLeast(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (memberKey(sorted[middle] as string) < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
