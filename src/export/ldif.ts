import { escapeDnValue } from './dn.js';
import type { ExportedList } from './lists-with-members.js';

export interface LdifOptions {
  /** The DN each family's entries go under (`mail=ADDRESS,BASE`). */
  baseOf: (family: string) => string;
  /** The member count as a comment line above each entry (stock schemas have no attribute for it). */
  counts: boolean;
}

/** Lines longer than this are folded (RFC 2849 allows any length; 76 is what ldapsearch writes). */
const WIDTH = 76;
/** RFC 2849's SAFE-STRING, not ending with a space (which readers may drop): written as is; anything else in base64. */
const SAFE = /^(?:[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*)?$/;

/**
 * The lists as LDIF (RFC 2849) content records for ldapadd or slapadd: one entry each,
 * `mail=ADDRESS,BASE`, of the stock classes organizationalRole (cn: the description, else the
 * address) and extensibleObject (mail, description), which is what Thunderbird and Outlook read
 * of a directory entry: its display name and its address.
 */
export function* ldifOf(lists: Iterable<ExportedList>, options: LdifOptions): Generator<string> {
  yield 'version: 1\n';
  for (const list of lists) {
    const lines = ['', ...(options.counts ? [`# members: ${list.members}`] : [])];
    lines.push(line('dn', `mail=${escapeDnValue(list.address)},${options.baseOf(list.family)}`));
    lines.push('objectClass: top', 'objectClass: organizationalRole', 'objectClass: extensibleObject');
    lines.push(line('cn', list.description || list.address), line('mail', list.address));
    if (list.description) lines.push(line('description', list.description));
    yield `${lines.join('\n')}\n`;
  }
}

/** `type: value`, or `type:: BASE64` for a value that is not a safe string; folded. */
function line(type: string, value: string): string {
  const text = SAFE.test(value) && !value.endsWith(' ') ? `${type}: ${value}` : `${type}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
  if (text.length <= WIDTH) return text;
  const parts = [text.slice(0, WIDTH)];
  for (let at = WIDTH; at < text.length; at += WIDTH - 1) parts.push(` ${text.slice(at, at + WIDTH - 1)}`);
  return parts.join('\n');
}
