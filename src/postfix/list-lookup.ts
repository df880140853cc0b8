import type { ListDefinition } from '../charter/list.js';
import { AutolistError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import { roleTarget, whyEmpty } from '../recipients/index.js';
import { isStoreFailure } from '../store/index.js';

/** What a list lookup works with. */
export type ListLookupServices = Pick<Services, 'config' | 'logger' | 'catalog' | 'subscriptions'>;

export type ListLookup = { kind: 'found'; list: string } | { kind: 'not-found'; reason: string } | { kind: 'temporary'; reason: string };

/**
 * Whether an address is a list that takes mail: it resolves, and it has members as mail counts them (or its family
 * accepts empty lists); or it is a list's -owner, -request or -bounces address the SMTP front takes. Not found for an address that names no list; temporary when the
 * directory, needed to count the members, cannot answer, or on any fault (logged): a table
 * lookup must never turn a fault into "no such recipient". Never throws.
 */
export async function lookupList(services: ListLookupServices, address: string): Promise<ListLookup> {
  const resolver = services.catalog.resolver;
  let list: ListDefinition;
  try {
    const role = roleTarget(services.config.smtp.defaultOwners, resolver, address);
    if (role?.refusal !== undefined) return { kind: 'not-found', reason: role.refusal };
    if (role !== undefined) return { kind: 'found', list: role.address };
    list = resolver.resolve(address);
  } catch (error) {
    if (error instanceof AutolistError && !error.temporary) return { kind: 'not-found', reason: error.message };
    return temporary(services.logger, error, address);
  }
  try {
    if ((await whyEmpty(services.subscriptions, list)) !== undefined) return { kind: 'not-found', reason: `${list.address} has no members` };
    return { kind: 'found', list: list.address };
  } catch (error) {
    return temporary(services.logger, error, address);
  }
}

function temporary(logger: Logger, error: unknown, address: string): ListLookup {
  if (isStoreFailure(error)) return { kind: 'temporary', reason: `the list's subscriptions could not be read (${error.code})` };
  if (error instanceof AutolistError && error.temporary) return { kind: 'temporary', reason: `the directory could not answer (${error.code})` };
  logger.error({ err: error, address }, 'list lookup failed');
  return { kind: 'temporary', reason: 'the list cannot be checked now' };
}
