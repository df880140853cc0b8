import { hash } from 'node:crypto';

/**
 * A set of strings (case ignored) held as 64-bit hashes, 8 bytes each, sorted for binary search:
 * the members a message already reached stay small even for a list of 100,000. Two strings of one
 * set share a hash with a probability near 2^-64 per pair.
 */
export class CompactSet {
  private constructor(private readonly hashes: BigUint64Array) {}

  static of(strings: readonly string[]): CompactSet {
    const hashes = new BigUint64Array(strings.length);
    strings.forEach((text, index) => {
      hashes[index] = CompactSet.hashOf(text);
    });
    return new CompactSet(hashes.sort());
  }

  get size(): number {
    return this.hashes.length;
  }

  /** The hash a string is held as: to look one string up in many sets, hashed once. */
  static hashOf(text: string): bigint {
    return hash('sha256', text.toLowerCase(), 'buffer').readBigUInt64BE(0);
  }

  has(text: string): boolean {
    return this.hasHash(CompactSet.hashOf(text));
  }

  hasHash(wanted: bigint): boolean {
    let low = 0;
    let high = this.hashes.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.hashes[middle] as bigint;
      if (found === wanted) return true;
      if (found < wanted) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }
}
