import type { Filter } from 'ldapts';

/** The actions a family declares rights for. */
export const ACTIONS = ['send', 'review', 'subscribe', 'unsubscribe'] as const;
export type Action = (typeof ACTIONS)[number];

/** A condition of a rights rule, as the charter declares it (evaluated by src/rights). */
export type Condition =
  | { kind: 'anyone' }
  /** The sender is a member of this list. */
  | { kind: 'member' }
  /** The sender has an entry in the directory. */
  | { kind: 'in-directory' }
  /** The sender's own directory entry matches this filter. */
  | { kind: 'sender-matches'; filter: Filter; text: string }
  /** The sender is a member of another charter list; `{part}` placeholders name parts of this list's parse. */
  | { kind: 'member-of'; template: string }
  /** The sender's domain is one of these (lower case). */
  | { kind: 'domain'; domains: string[] }
  /** The envelope sender is empty (a bounce). */
  | { kind: 'empty-sender' }
  /** What the front knows of the sender: SMTP AUTH, DKIM, SPF or DMARC result. */
  | { kind: 'authenticated' }
  | { kind: 'dkim' | 'spf' | 'dmarc'; result: string }
  /** A condition defined once under a name and used by several families. */
  | NamedCondition
  | { kind: 'not'; condition: Condition }
  | { kind: 'all' | 'any'; conditions: Condition[] };

/** `condition NAME = ... [label "..."]`: the label says what the sender is when it holds ("a chef"). */
export interface NamedCondition {
  kind: 'named';
  name: string;
  condition: Condition;
  label?: string;
}

export type Outcome = 'allow' | 'deny' | 'moderate';

/** Who decides a moderated message: the family's owners (or AUTOLIST_LIST_OWNERS), or the members of a charter list (`{part}` placeholders). */
export type Moderators = { kind: 'owners' } | { kind: 'list'; template: string };

export interface RightsRule {
  outcome: Outcome;
  /** With `moderate`: who moderates. */
  moderators?: Moderators;
  condition: Condition;
  /** Where the rule stands in its charter, for reasons and errors: `file:line`. */
  source: string;
}

/** The rules of one action: first match wins, then the default. */
export interface ActionRules {
  rules: RightsRule[];
  otherwise: Outcome;
  /** With `otherwise moderate by ...`: who moderates. */
  otherwiseModerators?: Moderators;
  /** Declared `closed`: nobody may, whatever the sender. */
  closed: boolean;
}

export type RightsRules = Record<Action, ActionRules>;
