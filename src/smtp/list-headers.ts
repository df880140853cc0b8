import libmime from 'libmime';
import type { Headers } from 'mailsplit';
import addressparser from 'nodemailer/lib/addressparser';
import type { ListDefinition } from '../charter/list.js';
import { roleAddress } from '../recipients/index.js';
import { appendHeader, oneLine, replaceHeader } from './header-line.js';

export interface ListHeaderOptions {
  /** The list's family names owners: List-Owner is given. */
  hasOwners: boolean;
  /** DMARC-safe resending: From becomes the list, the author goes to Reply-To. */
  rewriteFrom: boolean;
  /** Posting is closed to everyone: List-Post says NO (RFC 2369). */
  postingClosed: boolean;
  /** Unsubscribing is open: List-Unsubscribe is given. */
  unsubscribeOpen: boolean;
  /** The member's one-click unsubscribe link (RFC 8058, HTTPS), put first in List-Unsubscribe with List-Unsubscribe-Post. */
  oneClickUrl?: string;
}

/** Headers a list sets itself: any copy the message already has (from another list) is replaced. */
const REPLACED = [
  'list-id',
  'list-post',
  'list-help',
  'list-owner',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'list-subscribe',
  'list-archive',
  'precedence',
  'x-priority',
  'mmhs-primary-precedence',
];

/** RFC 2919's list identifier: the address with its @ turned into a dot. */
export function listId(list: ListDefinition): string {
  return `${list.name}.${list.domain}`;
}

/**
 * Turns the message's header into the list's copy: RFC 2369 and RFC 2919 headers, Precedence,
 * X-Loop (earlier ones kept: they catch a message coming back), the subject tag once, the priority
 * headers of the list's family priority, and the DMARC From rewrite when the family asks for it.
 */
export function setListHeaders(headers: Headers, list: ListDefinition, options: ListHeaderOptions): void {
  for (const key of REPLACED) headers.remove(key);
  tagSubject(headers, list.subject);
  if (options.rewriteFrom) rewriteFrom(headers, list);
  const mailto = (address: string, subject?: string): string => `<mailto:${address}${subject ? `?subject=${subject}` : ''}>`;
  const append = (key: string, value: string): void => appendHeader(headers, key, value);
  append('List-Id', `${phrase(list.description)} <${listId(list)}>`);
  append('List-Post', options.postingClosed ? 'NO' : mailto(list.address));
  append('List-Help', mailto(roleAddress(list, 'request'), 'help'));
  if (options.hasOwners) append('List-Owner', mailto(roleAddress(list, 'owner')));
  if (options.unsubscribeOpen) {
    const byMail = mailto(roleAddress(list, 'request'), 'unsubscribe');
    append('List-Unsubscribe', options.oneClickUrl === undefined ? byMail : `<${options.oneClickUrl}>, ${byMail}`);
    if (options.oneClickUrl !== undefined) append('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click');
  }
  append('Precedence', 'list');
  append('X-Loop', list.address);
  const { xPriority, mmhs } = priorityHeaders(list.priority);
  append('X-Priority', xPriority);
  append('MMHS-Primary-Precedence', mmhs);
}

/**
 * The priority gateway's headers for a family priority (1 most urgent .. 9): X-Priority (1 highest ..
 * 5 lowest) and RFC 6477's MMHS-Primary-Precedence (5 override .. 0 deferred).
 */
export function priorityHeaders(priority: number): { xPriority: string; mmhs: string } {
  const xPriority = ['1 (Highest)', '1 (Highest)', '2 (High)', '2 (High)', '3 (Normal)', '4 (Low)', '4 (Low)', '5 (Lowest)', '5 (Lowest)'][priority - 1] ?? '3 (Normal)';
  const mmhs = ['5', '4', '3', '2', '1', '1', '1', '0', '0'][priority - 1] ?? '1';
  return { xPriority, mmhs };
}

/** Adds the tag in front of the subject, unless the subject already carries it (a reply); the rest stays byte for byte. */
function tagSubject(headers: Headers, subjectTag: string): void {
  const tag = oneLine(subjectTag);
  if (tag === '') return;
  if (!headers.hasHeader('subject')) return appendHeader(headers, 'Subject', libmime.encodeWords(tag, 'Q', 52));
  const raw = headers.getFirst('subject');
  if (libmime.decodeWords(raw).toLowerCase().includes(tag.toLowerCase())) return;
  replaceHeader(headers, 'Subject', Buffer.from(`${libmime.encodeWords(tag, 'Q', 52)} ${raw}`, 'binary'));
}

/** From: "Author via List" <list>; the author in Reply-To unless the message names one already. */
function rewriteFrom(headers: Headers, list: ListDefinition): void {
  const original = headers.getFirst('from');
  const [author] = addressparser(Buffer.from(original, 'binary').toString('utf8'), { flatten: true });
  const name = libmime.decodeWords(author?.name || author?.address || 'unknown');
  replaceHeader(headers, 'From', `${phrase(`${name} via ${list.description || list.address}`)} <${list.address}>`);
  if (!headers.hasHeader('reply-to') && original !== '') appendHeader(headers, 'Reply-To', Buffer.from(original, 'binary'));
}

/** RFC 5322 atoms and the blanks between them: text a phrase may hold as it is. */
const ATOMS = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ \t]*$/;

/**
 * A display name: quoted when ASCII; else encoded words for the part that is not ASCII, or for all
 * of it when the rest is not plain atoms (a `<`, `,` or `"` left outside would be read as syntax).
 */
function phrase(displayName: string): string {
  const text = oneLine(displayName);
  if (!/[^\x00-\x7f]/.test(text)) return `"${text.replace(/["\\]/g, '\\$&')}"`;
  const words = libmime.encodeWords(text, 'Q', 52);
  return ATOMS.test(words) ? words : libmime.encodeWord(text, 'Q', 52);
}
