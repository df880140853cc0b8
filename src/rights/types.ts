import type { Filter } from 'ldapts';
import type { DirectorySettings, ListDefinition } from '../charter/list.js';
import type { Action } from '../charter/rights.js';
import type { Entry } from '../directory/directory.js';

/** A directory answer, and how old it is: the time since the directory gave it (0 for one just asked). */
export interface Aged<T> {
  value: T;
  ageMs: number;
}

/**
 * What deciding needs from the directory side: the sender's entry, and list membership. Each
 * answer is at most `maxAgeMs` old, unless the directory is down and an older one is all there is.
 */
export interface SenderDirectory {
  /** The sender's directory entry (matched on the member and alternate-address attributes), or null. */
  senderEntry(address: string, settings: DirectorySettings, maxAgeMs?: number): Promise<Aged<Entry | null>>;
  /** Whether the address is a member of the list: from held members, else one targeted search. */
  memberCheck(list: ListDefinition, address: string, maxAgeMs?: number): Promise<Aged<boolean>>;
}

/** Evaluates a filter against one entry with LDAP matching rules (case-insensitive `title`, say). */
export type EntryMatcher = (entry: Entry, filter: Filter) => boolean;

/** What the front knows of the sender beyond the envelope address. */
export interface DecisionContext {
  /** The SMTP AUTH user (or Postfix's sasl_username), when the sender authenticated. */
  authenticatedUser?: string;
  /** DKIM, SPF and DMARC results (pass, fail, none, ...), when the caller checked them. */
  dkim?: string;
  spf?: string;
  dmarc?: string;
  /**
   * Whether the sender is verified other than by authenticating (a trusted client, or DMARC for the
   * sender's address). Absent: not asked, the rights are decided as for a verified sender (the
   * command line and HTTP by default); the mail fronts always say.
   */
  verified?: boolean;
  /** At RCPT, before the message: DKIM, SPF and DMARC are unknown, and so is DMARC's verifying a sender. */
  beforeMessage?: boolean;
}

/** `pending`: only the message can decide (a front asked beforeMessage); it is asked again at end of DATA. */
export type Verdict = 'allow' | 'deny' | 'defer' | 'pending';

export interface Decision {
  decision: Verdict;
  list: string;
  action: Action;
  /** The sender as matched: lower case, subaddress removed; empty for a bounce. */
  sender: string;
  /** The rule that decided (`file:line`), `otherwise`, `closed`, `empty-sender`, `unverified`, `directory` for a defer; while pending, `message` (the rules read DKIM, SPF or DMARC) or `unverified` (only DMARC can verify the sender). */
  rule: string;
  /** What was decided and by which rule, then each rule tried and each condition checked with its result, in words. */
  reasons: string[];
}
