// Member arrays are sorted with Array.prototype.sort's default order (UTF-16 code units), which is
// exactly the order of the `<` operator on strings: these searches rely on it.

/** Whether the sorted array holds the value. */
export function includesSorted(sorted: readonly string[], value: string): boolean {
  const i = firstIndexAtLeast(sorted, value);
  return i < sorted.length && sorted[i] === value;
}

/** The index of the first value greater than `value` (the length when there is none). */
export function indexAfter(sorted: readonly string[], value: string): number {
  const i = firstIndexAtLeast(sorted, value);
  return i < sorted.length && sorted[i] === value ? i + 1 : i;
}

function firstIndexAtLeast(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
