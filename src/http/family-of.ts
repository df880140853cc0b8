import type { Family } from '../charter/family.js';
import type { Resolver } from '../charter/resolver.js';
import { HttpError } from './errors.js';

/** The family in service of this name; a NO_SUCH_FAMILY problem (naming those in service) otherwise. */
export function familyOf(resolver: Resolver, name: string): Family {
  const found = resolver.family(name);
  if (!found) throw new HttpError('NO_SUCH_FAMILY', `no family "${name.slice(0, 64)}" is in service`, { families: resolver.families.map((f) => f.name) });
  return found;
}
