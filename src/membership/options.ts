import type { ListDefinition } from '../charter/list.js';
import { ConfigError } from '../config/config.js';
import type { Directory } from '../directory/directory.js';
import type { Logger } from '../log.js';
import type { DirectoryRecorder } from '../metrics/recorders.js';

export interface MembershipOptions {
  directory: Directory;
  /** Member addresses held in memory across every cached list; a list bigger than this is never cached. */
  maxMembersHeld: number;
  /** The TTL of a list whose definition has no usable `cacheTtlSeconds` (charters default to 3600). */
  defaultTtlSeconds: number;
  /**
   * The oldest a value may be when served past its TTL: at once while it is refreshed in the
   * background, and for as long as the directory is down. Older, callers wait for the directory and
   * get its error. Not above the TTL, nothing is ever served stale.
   */
  maxStaleSeconds: number;
  /** How long a sender lookup, found or not, is reused. */
  senderTtlSeconds: number;
  /** Sender lookups held (default 10,000). */
  maxSendersHeld?: number;
  logger?: Logger;
  /** Told how long each directory search took (the metrics); none by default. */
  searches?: DirectoryRecorder;
  /** The clock, in milliseconds since the epoch (default Date.now; tests inject one). */
  now?: () => number;
}

export const DEFAULT_MAX_SENDERS_HELD = 10_000;

/** Throws ConfigError naming every option that is out of range. */
export function checkOptions(options: MembershipOptions): void {
  const problems: string[] = [];
  const check = (name: string, value: number | undefined, ok: boolean, expected: string): void => {
    if (!ok) problems.push(`membership option ${name}=${String(value)}: expected ${expected}`);
  };
  const { maxMembersHeld, defaultTtlSeconds, maxStaleSeconds, senderTtlSeconds, maxSendersHeld } = options;
  check('maxMembersHeld', maxMembersHeld, isWholeNumber(maxMembersHeld, 1), 'a whole number of at least 1');
  check('defaultTtlSeconds', defaultTtlSeconds, isSeconds(defaultTtlSeconds), 'seconds, 0 or more');
  check('maxStaleSeconds', maxStaleSeconds, isSeconds(maxStaleSeconds), 'seconds, 0 or more');
  check('senderTtlSeconds', senderTtlSeconds, isSeconds(senderTtlSeconds), 'seconds, 0 or more');
  check('maxSendersHeld', maxSendersHeld, maxSendersHeld === undefined || isWholeNumber(maxSendersHeld, 1), 'a whole number of at least 1');
  if (problems.length > 0) throw new ConfigError(problems);
}

/** The list's own TTL when it has a usable one, else the default. */
export function ttlSecondsOf(list: ListDefinition, defaultTtlSeconds: number): number {
  return isSeconds(list.cacheTtlSeconds) ? list.cacheTtlSeconds : defaultTtlSeconds;
}

function isWholeNumber(value: number, min: number): boolean {
  return Number.isSafeInteger(value) && value >= min;
}

function isSeconds(value: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
