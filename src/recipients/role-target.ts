import type { ListDefinition } from '../charter/list.js';
import type { Resolver } from '../charter/resolver.js';
import { resolveRole, roleAddress, type Role } from './roles.js';

export interface RoleTarget {
  role: Role;
  list: ListDefinition;
  address: string;
  /** Who receives the mail of an -owner address: the family's owners, else LIST_OWNERS. */
  owners: readonly string[];
  /** Why the SMTP front refuses it (an -owner address with nobody to receive it), if it does. */
  refusal?: string;
}

/**
 * The list and role of a LIST-owner, LIST-request or LIST-bounces address, as the SMTP front
 * takes them: open to any sender, an -owner address only when someone receives it. `defaultOwners`
 * (LIST_OWNERS) receive the -owner mail of a family that names no owner.
 */
export function roleTarget(defaultOwners: readonly string[], resolver: Resolver, address: string): RoleTarget | undefined {
  const found = resolveRole(resolver, address);
  if (found === undefined) return undefined;
  const owners = found.list.owners.length > 0 ? found.list.owners : defaultOwners;
  const target: RoleTarget = { ...found, address: roleAddress(found.list, found.role), owners };
  if (found.role === 'owner' && owners.length === 0) {
    target.refusal = `${target.address}: the family ${found.list.family} names no owner (and AUTOLIST_LIST_OWNERS is not set)`;
  }
  return target;
}
