/**
 * What the mail path tells its metrics, each part through the small recorder it is given (the SMTP
 * front, the relay, the Postfix hooks, the members' directory searches). Every value passed is from
 * a fixed set: never an address, a list name or free text, so that no label can grow without bound.
 */

/** How an SMTP session ended: the client said QUIT (221); autolist closed it (421: idle, limits, time limit, stopping); the client went away; closed before its greeting (too many connections, or the client left at once). */
export const SMTP_SESSION_OUTCOMES = ['quit', 'server_closed', 'client_closed', 'before_greeting'] as const;
export type SmtpSessionOutcome = (typeof SMTP_SESSION_OUTCOMES)[number];

export interface SmtpRecorder {
  sessionOpened(): void;
  sessionClosed(outcome: SmtpSessionOutcome): void;
  /** A reply sent: its code, and the class and subject of its enhanced status code (`5.1` of `5.1.1`), if it has one. */
  reply(code: number, enhanced: string | undefined): void;
  /** A message answered 250 at the end of DATA. */
  messageAccepted(): void;
}

/** Where the relay hands batches over: an SMTP relay, or the outbox folder. */
export type RelayVia = 'smtp' | 'outbox';

/** What became of a transaction's recipients. */
export interface RelayedRecipients {
  accepted: number;
  /** Refused for good (5xx): recorded as bounces. */
  bounced: number;
  /** Refused for now (4xx): tried again. */
  deferred: number;
}

export interface RelayRecorder {
  /** One transaction with the relay (or one batch written to the outbox): how long it took, and its recipients' fate; undefined when the transaction failed whole. */
  batch(via: RelayVia, seconds: number, recipients: RelayedRecipients | undefined): void;
}

/**
 * The policy server's answer to a request, by why: DUNNO outside RCPT (`other_stage`), to an address
 * that is no list (`not_ours`), to an allowed sender (`accept`) or one the message decides for
 * (`pending`); 550 to a refused sender or recipient (`refuse`) or a sender that cannot be verified
 * here (`unverified`); DEFER_IF_PERMIT when the directory cannot answer (`defer`).
 */
export const POLICY_RESULTS = ['other_stage', 'not_ours', 'accept', 'pending', 'refuse', 'unverified', 'defer'] as const;
export type PolicyResult = (typeof POLICY_RESULTS)[number];

/** The socketmap's answer: OK, NOTFOUND, TEMP, PERM (a map it does not serve, a malformed request). */
export const SOCKETMAP_RESULTS = ['found', 'not_found', 'temporary', 'perm'] as const;
export type SocketmapResult = (typeof SOCKETMAP_RESULTS)[number];

export interface PostfixRecorder {
  policy(result: PolicyResult): void;
  socketmap(result: SocketmapResult): void;
}

/** The searches membership makes: a list's members, a sender's entry, whether one sender is a member. */
export type DirectorySearchKind = 'members' | 'sender' | 'membership';

export interface DirectoryRecorder {
  /** One search, from its start to its last entry read (or its failure). */
  search(directory: 'ldap' | 'embedded', kind: DirectorySearchKind, seconds: number): void;
}

/** Refused for good by the relay, or reported by a delivery status notification. */
export const BOUNCE_SOURCES = ['relay', 'dsn'] as const;

export interface BounceRecorder {
  /** Bounces recorded (one unless told). */
  bounce(source: (typeof BOUNCE_SOURCES)[number], count?: number): void;
}

/** Seconds since `started` (process.hrtime.bigint()). */
export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
