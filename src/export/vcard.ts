import type { ExportedList } from './lists-with-members.js';

export interface VcardOptions {
  /** The member count as the property X-AUTOLIST-MEMBERS. */
  counts: boolean;
}

/** RFC 6350 §3.2: lines SHOULD NOT be longer than 75 octets, line break excluded. */
const OCTETS = 75;

/**
 * The lists as vCards 4.0 (RFC 6350), one a list: KIND group, FN the description (else the
 * address), EMAIL the address, UID its mailto: URI (stable, so that an import updates the card).
 */
export function* vcardsOf(lists: Iterable<ExportedList>, options: VcardOptions): Generator<string> {
  for (const list of lists) {
    const lines = ['BEGIN:VCARD', 'VERSION:4.0', 'KIND:group', `FN:${escapeText(list.description || list.address)}`, `EMAIL:${escapeText(list.address)}`, `UID:mailto:${list.address}`];
    if (list.description) lines.push(`NOTE:${escapeText(list.description)}`);
    if (options.counts) lines.push(`X-AUTOLIST-MEMBERS:${list.members}`);
    lines.push('END:VCARD');
    yield `${lines.map(fold).join('\r\n')}\r\n`;
  }
}

/**
 * A TEXT value of a property with one value (RFC 6350 §3.4): backslash, comma and line breaks
 * escaped; a semicolon only separates the parts of compound values (N, ADR), and ical.js (what
 * Thunderbird reads vCards with) keeps the backslash of `\;` in FN.
 */
export function escapeText(value: string): string {
  return value.replace(/[\\,]/g, (ch) => `\\${ch}`).replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets, never inside a UTF-8 sequence: CRLF then a space. */
function fold(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= OCTETS) return line;
  const parts: string[] = [];
  let part = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    // Continuation lines start with a space, which counts.
    if (octets + size > OCTETS) {
      parts.push(part);
      part = ' ';
      octets = 1;
    }
    part += ch;
    octets += size;
  }
  parts.push(part);
  return parts.join('\r\n');
}
