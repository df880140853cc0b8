import { loadFamilies } from '../charter/load.js';
import { Resolver } from '../charter/resolver.js';
import type { Config } from '../config/config.js';

/** The resolver over the configured families. */
export function resolverFor(config: Config): Resolver {
  return new Resolver(loadFamilies(config.familiesDir), { cacheEntries: config.resolverCacheEntries });
}
