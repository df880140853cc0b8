/**
 * What people chose about lists the directory makes: an exclusion (a member of the directory's list
 * who unsubscribed) or an addition (someone the list's `subscribe` rules let in), and the requests
 * waiting for their confirmation by reply. Per list, an address has at most one of each.
 */
export type OptKind = 'exclusion' | 'addition';

/** How a choice was made: by mail confirmed by a token reply, or by the one-click link (RFC 8058). */
export type OptWay = 'mail' | 'one-click';

export interface OptEntry {
  kind: OptKind;
  /** The list's address. */
  list: string;
  /** The person's address, lower case. */
  address: string;
  /** When it was recorded, ISO 8601. */
  at: string;
  how: OptWay;
  /** The rights rule that allowed it (`file:line`, or `otherwise`): for an addition, the rule that must still admit the person. */
  rule: string;
}

/** A subscribe or unsubscribe asked by mail, waiting for the reply that confirms it. */
export interface PendingRequest {
  list: string;
  address: string;
  action: 'subscribe' | 'unsubscribe';
  /** The random value the confirmation's token carries: a reply is worth one confirmation. */
  nonce: string;
  /** When the confirmation's token expires, in milliseconds since the epoch. */
  expiresAt: number;
}

/** The store of exclusions and additions (files under the state folder, or Redis). */
export interface OptRecord {
  /** A list's exclusions and additions, by address. */
  entries(list: string): Promise<OptEntry[]>;
  /** Records a choice, replacing what the address had on that list. */
  put(entry: OptEntry): Promise<void>;
  /** Removes the address's choice on that list; returns what was removed, if any. */
  remove(list: string, address: string): Promise<OptEntry | undefined>;
  /** Records a request waiting for its confirmation, replacing an earlier one of the same address and action. */
  propose(request: PendingRequest): Promise<void>;
  /** Takes the request that `nonce` confirms, once: true the first time, false after (or for a nonce replaced by a newer request). */
  consume(list: string, address: string, action: PendingRequest['action'], nonce: string): Promise<boolean>;
}

/** The field of a pending request in its list's record. */
export const pendingKey = (address: string, action: PendingRequest['action']): string => `${action}:${address}`;

/** Requests waiting for confirmation a list holds at most: past it, those closest to expiring are dropped. */
export const MAX_PENDING_PER_LIST = 10_000;
