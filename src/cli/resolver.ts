import { Catalog } from '../charter/catalog.js';
import type { Resolver } from '../charter/resolver.js';
import type { Config } from '../config/config.js';

/** The families in service, as configured. */
export function catalogFor(config: Config): Catalog {
  return new Catalog(config.familiesDir, { cacheEntries: config.resolverCacheEntries, overrides: config.familyOverrides });
}

/** The resolver over the configured families. */
export function resolverFor(config: Config): Resolver {
  return catalogFor(config).resolver;
}
