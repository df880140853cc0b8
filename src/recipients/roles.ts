import type { ListDefinition } from '../charter/list.js';
import type { Resolver } from '../charter/resolver.js';
import { AutolistError } from '../errors.js';

/**
 * The addresses each list has beside its own: LIST-owner (the family's owners), LIST-request (an
 * automatic answer describing the list) and LIST-bounces (the envelope sender of the list's mail,
 * where delivery status notifications come back).
 */
export const ROLES = ['owner', 'request', 'bounces'] as const;
export type Role = (typeof ROLES)[number];

export function roleAddress(list: ListDefinition, role: Role): string {
  return `${list.name}-${role}@${list.domain}`;
}

/**
 * The list and role an address names, when it ends in -owner, -request or -bounces and the rest is a
 * list. These suffixes are reserved: they win over a list whose own name would end the same way.
 */
export function resolveRole(resolver: Resolver, address: string): { role: Role; list: ListDefinition } | undefined {
  const match = /^(.+)-(owner|request|bounces)@([^@]+)$/i.exec(address.trim());
  if (!match) return undefined;
  try {
    return { role: (match[2] as string).toLowerCase() as Role, list: resolver.resolve(`${match[1]}@${match[3]}`) };
  } catch (error) {
    if (error instanceof AutolistError) return undefined;
    throw error;
  }
}
