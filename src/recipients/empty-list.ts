import type { ListDefinition } from '../charter/list.js';
import type { Subscriptions } from '../subscriptions/index.js';

/** Why nobody would receive a list's mail: nobody in the directory matches it, or all who do unsubscribed (and no addition counts). */
export type Emptiness = 'no-match' | 'unsubscribed';

/**
 * Why mail to the list is refused because nobody would receive it, or undefined when it is not:
 * the list has no member as delivery counts them (the subscriptions' members: the directory's less
 * exclusions, plus additions still admitted), and its family does not accept empty lists. The
 * directory's members come through the members' cache, their combination with the choices is kept
 * per expansion: no more searches than the cache makes. A directory failure throws.
 */
export async function whyEmpty(subscriptions: Subscriptions, list: ListDefinition): Promise<Emptiness | undefined> {
  if (list.acceptEmptyLists) return undefined;
  const { members, entries, unreachable } = await subscriptions.members(list);
  if (members.length > 0) return undefined;
  // The entries and those without an address are the directory's, before anyone's choice.
  return entries > unreachable ? 'unsubscribed' : 'no-match';
}
