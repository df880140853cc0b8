import type { Language } from '../i18n/index.js';
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

/**
 * What an address resolves to: everything needed to expand, decide, describe and deliver to the
 * list, its family's settings included, so that a front reads them from the list it resolved and
 * never from the families in service (a reload in between would mix two versions).
 */
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
  /** The family's owners, who receive mail to LIST-owner (none: AUTOLIST_LIST_OWNERS do). */
  owners: readonly string[];
  /** Whether mail to the list is taken when it has no member with an address. */
  acceptEmptyLists: boolean;
  /** DMARC-safe resending: the list's mail goes out From the list, the author in Reply-To. */
  rewriteFrom: boolean;
  /** `verified`: an address the sender cannot prove is refused on `send` (AUTH, DMARC, a trusted client); `any`: the rules alone decide. */
  senders: 'verified' | 'any';
  /** The language of every text this family's lists show people: replies, reasons, notices (default en). */
  language: Language;
  /** How long a moderated message waits for a decision before its author is told it expired, in seconds. */
  moderationExpirySeconds: number;
}
