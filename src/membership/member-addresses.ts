import type { Entry } from '../directory/directory.js';

/** What one expansion found: the members' addresses and how many entries had none. */
export interface Expansion {
  /** Distinct addresses, lower case, sorted (Array.prototype.sort's order), frozen. */
  members: readonly string[];
  /** Entries the filter matched. */
  entries: number;
  /** Entries without an address in the member attribute: they cannot be written to. */
  unreachable: number;
}

/** An entry's addresses in an attribute: trimmed, lower case, empty values dropped. */
export function addressesOf(entry: Entry, attribute: string): string[] {
  const values = entry.attributes[attribute.toLowerCase()] ?? [];
  const addresses: string[] = [];
  for (const value of values) {
    const address = value.trim().toLowerCase();
    if (address !== '') addresses.push(address);
  }
  return addresses;
}

/**
 * Reads every entry of a search and keeps only the addresses: one array of strings per list, no
 * per-member objects, so a list of 100,000 members costs a few megabytes. A search that fails
 * throws here, so no partial list ever comes out. `onEntry` is told the count after each entry.
 */
export async function collectMembers(entries: AsyncIterable<Entry>, memberAttribute: string, onEntry?: (entriesRead: number) => void): Promise<Expansion> {
  const members = new Set<string>();
  let count = 0;
  let unreachable = 0;
  for await (const entry of entries) {
    count++;
    onEntry?.(count);
    const addresses = addressesOf(entry, memberAttribute);
    if (addresses.length === 0) unreachable++;
    for (const address of addresses) members.add(address);
  }
  return { members: Object.freeze([...members].sort()), entries: count, unreachable };
}
