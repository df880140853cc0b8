import type { ListDefinition } from '../charter/list.js';
import type { Action } from '../charter/rights.js';
import type { Aged } from '../membership/index.js';

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

/** Where a sender stands on a list: a member or not, and the person's own choice when that, not the directory alone, gave the answer. */
export interface Standing {
  member: boolean;
  /** `unsubscribed`: a member by the directory who left the list; `subscribed`: an addition the subscribe rules admit; `no-longer-admitted`: an addition they no longer admit. */
  by?: 'unsubscribed' | 'subscribed' | 'no-longer-admitted';
}

/**
 * Whether the sender is a member of the list as mail counts members (src/subscriptions/: the
 * directory's answer with the people's exclusions and additions), at most `maxAgeMs` old as the
 * directory's answers are. The lists in `directoryOnly` are those whose additions the decision asking
 * is judging: whoever answers passes them back to `decide`, which reads their membership from the
 * directory alone, so that a subscribe rule naming its own list (or lists naming each other) ends.
 */
export type MemberCheck = (list: ListDefinition, sender: string, maxAgeMs: number, directoryOnly: ReadonlySet<string>) => Promise<Aged<Standing>>;
