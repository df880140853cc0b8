/** autolist's services as the tests build them, over the real families and directories. */
import { DEMO_DIRECTORY, loadConfig } from '../../src/config/config.js';
import { EmbeddedDirectory } from '../../src/directory/embedded/embedded.js';
import type { Directory } from '../../src/directory/index.js';
import { createLogger, type Logger } from '../../src/log.js';
import { buildServices, type Services } from '../../src/services.js';
import type { Slapd } from './slapd.js';

/** The demo directory (demo/directory.ldif), loaded once for every service of a test file. */
let demo: Promise<EmbeddedDirectory> | undefined;

export interface ServicesOptions {
  /** Environment variables of the configuration (AUTOLIST_FAMILIES_DIR, AUTOLIST_HTTP_READ_TOKEN, ...). */
  env?: Record<string, string>;
  /** The membership cache's clock, in milliseconds. */
  now?: () => number;
  /** Serve from this slapd (LDAP) instead of the embedded demo directory. */
  slapd?: Slapd;
  /** A directory already open, instead of the one the configuration names. */
  directory?: Directory;
  logger?: Logger;
}

/**
 * The services of a test: the shipped families (or AUTOLIST_FAMILIES_DIR); the directory given, a
 * slapd, the one the configuration names (AUTOLIST_LDAP_URL, AUTOLIST_DIRECTORY_LDIF) or the demo
 * directory; silent logs.
 */
export async function testServices(options: ServicesOptions = {}): Promise<Services> {
  const ldap =
    options.slapd === undefined
      ? {}
      : { AUTOLIST_LDAP_URL: options.slapd.url, AUTOLIST_LDAP_BIND_DN: options.slapd.bindDN, AUTOLIST_LDAP_BIND_PASSWORD: options.slapd.password, AUTOLIST_LDAP_CONNECT_TIMEOUT_MS: '2000' };
  const config = loadConfig({ AUTOLIST_LOG_LEVEL: 'silent', ...ldap, ...options.env });
  let directory = options.directory;
  if (directory === undefined && config.directory.kind === 'embedded' && config.directory.ldifFile === DEMO_DIRECTORY) {
    demo ??= EmbeddedDirectory.load(DEMO_DIRECTORY);
    directory = await demo;
  }
  return buildServices(config, { logger: options.logger ?? createLogger('silent'), ...(directory ? { directory } : {}), ...(options.now ? { now: options.now } : {}) });
}
