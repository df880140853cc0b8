import type { Resolver } from '../charter/resolver.js';
import type { Config } from '../config/config.js';
import { catalogFor } from '../services.js';

/** The resolver over the configured families. */
export function resolverFor(config: Config): Resolver {
  return catalogFor(config).resolver;
}
