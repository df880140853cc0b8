import { createHash } from 'node:crypto';
import { BadCursorError, BadPageLimitError } from './errors.js';

/** The most members one page may hold. */
export const MAX_PAGE_LIMIT = 10_000;
/** Far longer than a cursor of any real address: longer text is refused before it is decoded. */
const MAX_CURSOR_LENGTH = 65_536;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MALFORMED = 'the page cursor is malformed: pass back the nextCursor of the previous page unchanged';

/**
 * A cursor names the last member of the previous page (pages continue after it, so a refresh of the
 * list between two pages neither repeats nor skips the members that stayed) and the list it belongs to.
 * It is opaque to clients: base64url of `{"l": list digest, "a": last member}`.
 */
interface CursorContent {
  l: string;
  a: string;
}

/** A short digest of a list address, so that a cursor of one list is refused by another. */
export function cursorScope(listAddress: string): string {
  return createHash('sha256').update(listAddress).digest('base64url').slice(0, 12);
}

export function encodeCursor(scope: string, lastMember: string): string {
  const content: CursorContent = { l: scope, a: lastMember };
  return Buffer.from(JSON.stringify(content), 'utf8').toString('base64url');
}

/** The last member of the previous page; throws BadCursorError for anything not written by encodeCursor for this list. */
export function decodeCursor(cursor: unknown, scope: string): string {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    throw new BadCursorError(MALFORMED);
  }
  let content: unknown;
  try {
    content = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError(MALFORMED);
  }
  if (!isCursorContent(content)) throw new BadCursorError(MALFORMED);
  if (content.l !== scope) throw new BadCursorError('the page cursor belongs to another list');
  return content.a;
}

/** The page size asked for, checked: a whole number from 1 to MAX_PAGE_LIMIT. */
export function checkPageLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new BadPageLimitError(`the page limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}, not ${String(limit)}`);
  }
  return limit;
}

function isCursorContent(value: unknown): value is CursorContent {
  if (typeof value !== 'object' || value === null) return false;
  const { l, a } = value as Record<string, unknown>;
  return typeof l === 'string' && typeof a === 'string' && a !== '';
}
