export type { Directory, Entry, EntryMatcher, Scope, SearchRequest } from './directory.js';
export * from './errors.js';
export { EmbeddedDirectory, matchesEntry } from './embedded/index.js';
export { normalizeDN } from './embedded/dn.js';
export { attributeType } from './embedded/schema.js';
export { LdapDirectory, type LdapDirectoryOptions } from './ldap.js';
export { openDirectory } from './open.js';
