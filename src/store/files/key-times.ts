import { CompactSet } from '../compact-set.js';

/**
 * Keys held as 64-bit hashes (CompactSet's) with the second each was written at, 12 bytes a key,
 * sorted by hash for binary search: the completed deliveries of an hour past.
 */
export class KeyTimes {
  private constructor(
    private readonly hashes: BigUint64Array,
    private readonly seconds: Uint32Array,
  ) {}

  /** From [key, time in milliseconds] pairs; a key given twice keeps its latest time. */
  static of(entries: Iterable<readonly [string, number]>): KeyTimes {
    const latest = new Map<bigint, number>();
    for (const [key, at] of entries) {
      const hash = CompactSet.hashOf(key);
      latest.set(hash, Math.max(latest.get(hash) ?? 0, Math.floor(at / 1000)));
    }
    const sorted = [...latest.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return new KeyTimes(
      BigUint64Array.from(sorted),
      Uint32Array.from(sorted, (hash) => latest.get(hash) as number),
    );
  }

  /** When the key with this hash was written, in milliseconds (to the second), or undefined. */
  timeOfHash(wanted: bigint): number | undefined {
    let low = 0;
    let high = this.hashes.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.hashes[middle] as bigint;
      if (found === wanted) return (this.seconds[middle] as number) * 1000;
      if (found < wanted) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }
}
