import type { Action } from '../charter/rights.js';

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

/**
 * `pending`: only the message can decide (a front asked beforeMessage); it is asked again at end of DATA.
 * `moderate`: the message is taken and held until one of the decision's `moderators` approves it.
 */
export type Verdict = 'allow' | 'deny' | 'defer' | 'pending' | 'moderate';

/** Who moderates, for this list: the family's owners (AUTOLIST_LIST_OWNERS when it names none), or the members of a list. */
export type DecisionModerators = { kind: 'owners' } | { kind: 'list'; address: string };

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
  /** With `moderate`: who moderates. */
  moderators?: DecisionModerators;
}
