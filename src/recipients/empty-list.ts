import type { ListDefinition } from '../charter/list.js';
import type { Membership } from '../membership/index.js';

/**
 * Whether mail to the list is refused because nobody would receive it: the list has no member with
 * an address, and its family does not accept empty lists. Expands the list (through the members'
 * cache); a directory failure throws.
 */
export async function refusedAsEmpty(membership: Membership, list: ListDefinition): Promise<boolean> {
  if (list.acceptEmptyLists) return false;
  const { members } = await membership.expand(list);
  return members.length === 0;
}
