import type { Filter } from 'ldapts';
import type { Scope } from '../directory/directory.js';
import type { RightsRules } from './rights.js';

/** Where and how a family's members are looked up. */
export interface DirectorySettings {
  base: string;
  scope: Scope;
  /** The attribute whose values are the members' addresses (default `mail`). */
  memberAttribute: string;
  /** Further attributes that hold a person's other addresses (e.g. mailLocalAddress, proxyAddresses). */
  alternateAddressAttributes: string[];
}

/** What an address resolves to: everything needed to expand, decide and describe the list. */
export interface ListDefinition {
  /** The address, normalised (lower case, trimmed). */
  address: string;
  family: string;
  /** The local part: the list's name within its family. */
  name: string;
  domain: string;
  filter: Filter;
  filterText: string;
  description: string;
  subject: string;
  /** The text each named part of the grammar matched (repeated parts give an array). */
  params: Record<string, string | string[]>;
  rights: RightsRules;
  directory: DirectorySettings;
  priority: number;
  /** How long expanded members may be cached, in seconds. */
  cacheTtlSeconds: number;
}
