import type { Entry } from '../directory/directory.js';

/** What one expansion found: the members' addresses and how many entries had none. */
export interface Expansion {
  /** Distinct addresses (compared without case) as the directory writes them, domain lower case, in memberKey order, frozen. */
  members: readonly string[];
  /** Entries the filter matched. */
  entries: number;
  /** Entries without an address in the member attribute: they cannot be written to. */
  unreachable: number;
}

/**
 * What member addresses are compared by (dedupe, membership, already reached, bounces): the address
 * in lower case. Only for comparing: a local part's case is its owner's to interpret (RFC 5321
 * 2.4), so mail goes to the address as the directory writes it.
 */
export function memberKey(address: string): string {
  return address.toLowerCase();
}

/** An address as mail goes to it: trimmed, the local part as written, the domain (case-insensitive everywhere) lower case. */
function deliveryForm(value: string): string {
  const address = value.trim();
  const at = address.lastIndexOf('@');
  return at < 0 ? address : `${address.slice(0, at)}${address.slice(at).toLowerCase()}`;
}

/** An entry's addresses in an attribute, in deliveryForm, empty values dropped. */
export function addressesOf(entry: Entry, attribute: string): string[] {
  const values = entry.attributes[attribute.toLowerCase()] ?? [];
  const addresses: string[] = [];
  for (const value of values) {
    const address = deliveryForm(value);
    if (address !== '') addresses.push(address);
  }
  return addresses;
}

/**
 * Reads every entry of a search and keeps only the addresses: one array of strings per list, no
 * per-member objects, so a list of 100,000 members costs a few megabytes. A search that fails
 * throws here, so no partial list ever comes out. `onEntry` is told the count after each entry.
 * Addresses that differ only in case are one member, written the same way whatever order the
 * directory answers in (the first in code-unit order).
 */
export async function collectMembers(entries: AsyncIterable<Entry>, memberAttribute: string, onEntry?: (entriesRead: number) => void): Promise<Expansion> {
  const members = new Map<string, string>();
  let count = 0;
  let unreachable = 0;
  for await (const entry of entries) {
    count++;
    onEntry?.(count);
    const addresses = addressesOf(entry, memberAttribute);
    if (addresses.length === 0) unreachable++;
    for (const address of addresses) {
      const key = memberKey(address);
      const held = members.get(key);
      if (held === undefined || address < held) members.set(key, address);
    }
  }
  const keys = [...members.keys()].sort();
  return { members: Object.freeze(keys.map((key) => members.get(key) as string)), entries: count, unreachable };
}
