import type { ListDefinition } from '../charter/list.js';
import type { Services } from '../services.js';

/**
 * Whether mail to the list is refused because nobody would receive it: the list has no member with
 * an address, and its family does not accept empty lists. Expands the list (through the members'
 * cache); a directory failure throws.
 */
export async function refusedAsEmpty(services: Services, list: ListDefinition): Promise<boolean> {
  if (list.acceptEmptyLists) return false;
  const { members } = await services.membership.expand(list);
  return members.length === 0;
}
