import type { EmbeddedConfig, LdapConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import type { Directory } from './directory.js';
import { EmbeddedDirectory } from './embedded/index.js';
import { LdapDirectory } from './ldap.js';

/** The configured directory: LDAP servers, or the embedded directory loaded from its LDIF file. */
export async function openDirectory(config: LdapConfig | EmbeddedConfig, logger?: Logger): Promise<Directory> {
  if (config.kind === 'embedded') {
    const directory = await EmbeddedDirectory.load(config.ldifFile);
    logger?.info({ file: config.ldifFile, entries: directory.size }, 'embedded directory loaded');
    return directory;
  }
  const { kind: _kind, ...options } = config;
  return new LdapDirectory(logger === undefined ? options : { ...options, logger });
}
