/**
 * Longest text put in a reply: a whole SMTP reply line (`550 5.7.1 `, the text, CRLF) stays under
 * RFC 5321's 512 octets, and the longest reason (an unverified sender's, in French, with how to be
 * verified) fits whole.
 */
const MAX_REPLY_CHARS = 480;

/** A word that names an address: never folded, for `noël@` and `noel@` are two people. */
const ADDRESS_WORD = /\S*@\S*/gu;

/** A non-ASCII character as RFC 6533 writes one in ASCII: `\x{EB}` for ë. */
const escaped = (char: string): string => `\\x{${(char.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`;

/** French typography in ASCII, as French mail servers write their replies: ’ as ', « x » as "x", œ as oe. */
const TYPOGRAPHY: Array<[RegExp, string]> = [
  [/[\u2018\u2019]/g, "'"],
  [/«[\s\u00a0\u202f]*/g, '"'],
  [/[\s\u00a0\u202f]*»/g, '"'],
  [/[\u201c\u201d]/g, '"'],
  [/[\u00a0\u202f]/g, ' '],
  [/œ/g, 'oe'],
  [/Œ/g, 'OE'],
  [/æ/g, 'ae'],
  [/Æ/g, 'AE'],
  [/…/g, '...'],
];

/**
 * Text safe in a one-line reply (RFC 5321 reply text is US-ASCII): in addresses, each non-ASCII
 * character escaped as RFC 6533's `\x{HEX}` (the address as received, unambiguously); elsewhere
 * French typography written in ASCII and accents dropped (é -> e), so that a French reply reads
 * "l'expediteur ... n'est pas un chef"; anything else outside printable ASCII (newlines above all,
 * which would end the reply early) turned into `?`, length capped.
 */
export function replyText(text: string, maxChars = MAX_REPLY_CHARS): string {
  const typed = TYPOGRAPHY.reduce(
    (t, [pattern, ascii]) => t.replace(pattern, ascii),
    text.replace(ADDRESS_WORD, (word) => word.normalize('NFC').replace(/[^\x00-\x7f]/gu, escaped)),
  );
  const ascii = typed
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return ascii.length > maxChars ? `${ascii.slice(0, maxChars - 3)}...` : ascii;
}
