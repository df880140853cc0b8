import type { Resolver } from '../charter/resolver.js';
import { type Config, loadConfig } from '../config/config.js';
import { createLogger } from '../log.js';
import { buildServices, catalogFor, type Services } from '../services.js';

/** The resolver over the configured families. */
export function resolverFor(config: Config): Resolver {
  return catalogFor(config).resolver;
}

/**
 * The services of a one-shot command: logs go to standard error, at `warn` unless LOG_LEVEL says
 * otherwise, so that a command's output is only its answer.
 */
export async function commandServices(): Promise<Services> {
  const config = loadConfig({ AUTOLIST_LOG_LEVEL: 'warn', ...process.env });
  return buildServices(config, { logger: createLogger(config.logLevel, 'stderr') });
}
