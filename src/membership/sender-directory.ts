import type { DirectorySettings, ListDefinition } from '../charter/list.js';
import type { Entry } from '../directory/directory.js';

/** A directory answer, and how old it is: the time since the directory gave it (0 for one just asked). */
export interface Aged<T> {
  value: T;
  ageMs: number;
}

/**
 * What deciding needs from the directory side: the sender's entry, and list membership. Each
 * answer is at most `maxAgeMs` old, unless the directory is down and an older one is all there is.
 */
export interface SenderDirectory {
  /** The sender's directory entry (matched on the member and alternate-address attributes), or null. */
  senderEntry(address: string, settings: DirectorySettings, maxAgeMs?: number): Promise<Aged<Entry | null>>;
  /** Whether the address is a member of the list: from held members, else one targeted search. */
  memberCheck(list: ListDefinition, address: string, maxAgeMs?: number): Promise<Aged<boolean>>;
}
