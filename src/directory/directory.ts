import type { Filter } from 'ldapts';

/** Search scope, as LDAP names it. */
export type Scope = 'base' | 'one' | 'sub';

/** One directory entry. Attribute names are lower-cased; every attribute has one or more values. */
export interface Entry {
  dn: string;
  attributes: Record<string, string[]>;
}

/** Evaluates a filter against one entry with LDAP matching rules (case-insensitive `title`, say). */
export type EntryMatcher = (entry: Entry, filter: Filter) => boolean;

export interface SearchRequest {
  base: string;
  scope: Scope;
  filter: Filter;
  /** Attributes to return (names as written; compared case-insensitively). Empty means all. */
  attributes: string[];
}

/**
 * What autolist asks of a directory: a search streamed as entries, a health check, a close.
 * A search either yields every matching entry or throws a DirectoryError: never a silent partial answer.
 */
export interface Directory {
  readonly kind: 'ldap' | 'embedded';
  search(request: SearchRequest): AsyncIterable<Entry>;
  health(): Promise<void>;
  close(): Promise<void>;
}
