import type { Family } from '../charter/family.js';
import type { Config } from '../config/config.js';
import { normalizeDN } from '../directory/index.js';
import { csvOf } from './csv.js';
import { ExportBadBaseError } from './errors.js';
import { ldifOf } from './ldif.js';
import type { ExportedList } from './lists-with-members.js';
import { vcardsOf } from './vcard.js';

export { ExportBadBaseError, ExportTooLargeError, FamilyNotPublicError } from './errors.js';
export { listsWithMembers, type ExportedList, type ExportProgress, type FamilyExport } from './lists-with-members.js';

export const EXPORT_FORMATS = ['ldif', 'vcard', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The media type of each format: vCard's and CSV's are registered (RFC 6350, RFC 7111 with RFC
 * 4180's `header`); LDIF has none registered, `text/x-ldif` is the customary one.
 */
export const MEDIA_TYPES: Record<ExportFormat, string> = {
  ldif: 'text/x-ldif; charset=utf-8',
  vcard: 'text/vcard; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

export const FILE_EXTENSIONS: Record<ExportFormat, string> = { ldif: 'ldif', vcard: 'vcf', csv: 'csv' };

/** Names read from a charter per family unless the caller says otherwise (the shipped liste needs about 70,000). */
export const DEFAULT_EXPORT_LIMIT = 200_000;

export interface WriteOptions {
  format: ExportFormat;
  counts: boolean;
  /** CSV only: a UTF-8 byte order mark first. */
  bom: boolean;
  /** LDIF only: the DN each family's entries go under. */
  baseOf: (family: string) => string;
}

/** The lists in the format asked, a piece at a time. */
export function writeExport(lists: Iterable<ExportedList>, options: WriteOptions): Iterable<string> {
  if (options.format === 'ldif') return ldifOf(lists, options);
  if (options.format === 'vcard') return vcardsOf(lists, options);
  return csvOf(lists, options);
}

/** Lists expanded at a time: as many as the LDAP pool has connections (the embedded directory answers one at a time anyway). */
export function exportConcurrency(config: Config): number {
  return config.directory.kind === 'ldap' ? config.directory.poolSize : 1;
}

/**
 * The DN a family's lists are exported under: the one given (the command line, the query), else
 * AUTOLIST_EXPORT_BASE, else `ou=lists,` above the family's directory base. Throws
 * ExportBadBaseError for one that is not a DN.
 */
export function exportBase(family: Family, given: string | undefined, configured: string | undefined): string {
  const base = given ?? configured ?? `ou=lists,${family.header.directory.base}`;
  if (base.trim() === '' || normalizeDN(base) === undefined) throw new ExportBadBaseError(base);
  return base;
}
