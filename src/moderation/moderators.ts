import type { ListDefinition } from '../charter/list.js';
import type { Services } from '../services.js';
import type { DecisionModerators } from '../rights/index.js';

export type ModeratorServices = Pick<Services, 'config' | 'catalog' | 'membership'>;

/**
 * The addresses of a list's moderators: the family's owners (AUTOLIST_LIST_OWNERS when it names
 * none), or the members of the list the charter names, expanded from the directory like any list.
 * The directory's members only, without that list's exclusions and additions: moderating is a
 * charge the directory gives, and subscribing to a list must not confer it.
 */
export async function moderatorAddresses(services: ModeratorServices, list: ListDefinition, moderators: DecisionModerators): Promise<string[]> {
  if (moderators.kind === 'owners') return [...(list.owners.length > 0 ? list.owners : services.config.smtp.defaultOwners)];
  const moderating = services.catalog.resolver.resolve(moderators.address);
  const { members } = await services.membership.expand(moderating);
  return [...members];
}
