import { listToJSON } from '../charter/describe.js';
import type { Family } from '../charter/family.js';
import { familyNames } from '../charter/family-names.js';
import { Resolver } from '../charter/resolver.js';
import type { Action } from '../charter/rights.js';
import { AutolistError } from '../errors.js';
import type { Membership } from '../membership/index.js';
import type { Rights } from '../rights/index.js';

/** Members shown of a list tried in the studio. */
export const FIRST_MEMBERS = 20;
/** Most addresses of a draft's family enumerated at once. */
export const MAX_ENUMERATED = 100;

export interface TryRequest {
  /** A list address, or its name alone (the family's first domain is added). */
  address?: string;
  /** With an address: decide for this sender. */
  sender?: string;
  action?: Action;
  /** How many of the family's addresses to enumerate (0 to MAX_ENUMERATED). */
  enumerate?: number;
}

/** Why an address tried names no list: what the resolver says, as the lists route answers it. */
type Refusal = { code: string; detail: string } & Record<string, unknown>;

/**
 * Tries a compiled draft before it is installed, against the live directory: what an address
 * resolves to (or why it names no list), its member count and first members, a rights decision,
 * and the first addresses of the family.
 */
export async function tryFamily(family: Family, request: TryRequest, services: { membership: Membership; rights: Rights }) {
  const domain = family.header.domains[0] as string;
  const page = await familyNames(family, 0, Math.min(request.enumerate ?? 20, MAX_ENUMERATED));
  const enumerated = { finite: page.finite, open: page.open, addresses: page.names.map((n) => `${n}@${domain}`), more: page.more };
  if (request.address === undefined || request.address.trim() === '') return { family: family.name, enumerated };
  const address = request.address.includes('@') ? request.address : `${request.address}@${domain}`;
  let list: ReturnType<Resolver['resolve']>;
  try {
    // A resolver of its own, caching nothing: the draft is not in service.
    list = new Resolver([family], { cacheEntries: 0 }).resolve(address);
  } catch (error) {
    if (!(error instanceof AutolistError)) throw error;
    const { code, message, temporary: _temporary, ...details } = error.toJSON();
    const refusal: Refusal = { ...details, code: String(code), detail: String(message) };
    return { family: family.name, enumerated, refusal };
  }
  const expansion = await services.membership.expand(list);
  const members = { count: expansion.members.length, unreachable: expansion.unreachable, first: expansion.members.slice(0, FIRST_MEMBERS) };
  if (request.sender === undefined) return { family: family.name, enumerated, list: listToJSON(list), members };
  const decision = await services.rights.decide(list, request.action ?? 'send', request.sender);
  return { family: family.name, enumerated, list: listToJSON(list), members, decision: { ...decision, decision: decision.decision } };
}
