export { EmbeddedDirectory } from './embedded.js';
export { matchesEntry } from './evaluate.js';
export { parseLdif, type LdifRecord } from './ldif.js';
