import type { ListDefinition } from '../charter/list.js';
import type { Resolver } from '../charter/resolver.js';
import { t } from './messages.js';
import { resolveRole, roleAddress, type Role } from './roles.js';

export interface RoleTarget {
  role: Role;
  list: ListDefinition;
  address: string;
  /** Who receives the mail of an -owner address: the family's owners, else LIST_OWNERS. */
  owners: readonly string[];
  /** Why the SMTP front refuses it (an -owner address with nobody to receive it), if it does, in the list's language. */
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
    target.refusal = t(found.list.language, 'ownerless', { address: target.address, family: found.list.family });
  }
  return target;
}
