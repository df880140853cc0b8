import libmime from 'libmime';
import { Headers } from 'mailsplit';

/** Characters of a held message's text shown to its moderators. */
const PREVIEW_CHARS = 4000;
/** Octets of a held message read for its preview: the rest is in the attachment. */
const SCANNED_OCTETS = 256 * 1024;
/** Characters of a header value decoded: a subject is a line or two, a hostile one is cut before its encoded-words are read. */
const HEADER_CHARS = 2000;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** What moderators see of a held message before opening it: its sender, subject, date, and the start of its text. */
export interface HeldPreview {
  from: string;
  subject: string;
  date: string;
  text: string;
}

/** The header and the body of a message, at its first empty line. */
export function splitMessage(raw: Buffer): { headerBytes: Buffer; body: Buffer } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : raw.length;
  return { headerBytes: raw.subarray(0, end), body: raw.subarray(end) };
}

/**
 * A held message in words: its decoded From, Subject and Date, and its first text/plain part (the
 * whole body when it is plain text, else the first such part of a multipart), decoded from
 * quoted-printable or base64. Plain text only: the explorer escapes it, mail shows it as text.
 */
export function previewOf(raw: Buffer): HeldPreview {
  const { headerBytes, body } = splitMessage(raw.subarray(0, SCANNED_OCTETS));
  const headers = new Headers(headerBytes);
  const header = (name: string): string => headerText(headers.getFirst(name));
  const text = textOf(headers.getFirst('content-type'), headers.getFirst('content-transfer-encoding'), body, 3);
  return { from: header('from'), subject: header('subject'), date: header('date'), text: text.slice(0, PREVIEW_CHARS) };
}

/**
 * A header value as mailsplit gives it (its bytes as a latin1 string) in words: raw 8-bit bytes
 * read as UTF-8 (RFC 6532), as latin1 when they are not UTF-8, then RFC 2047 encoded-words decoded
 * (libmime), on the first HEADER_CHARS characters only.
 */
function headerText(binary: string): string {
  let text = binary;
  try {
    text = UTF8.decode(Buffer.from(binary, 'latin1'));
  } catch {
    // Not UTF-8: an old mailer's latin1, byte for byte.
  }
  return libmime.decodeWords(text.slice(0, HEADER_CHARS)).trim();
}

function textOf(contentType: string, encoding: string, body: Buffer, depth: number): string {
  const type = contentType.trim().toLowerCase() || 'text/plain';
  if (type.startsWith('text/plain')) return decode(body, encoding, charsetOf(contentType));
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!type.startsWith('multipart/') || boundary === undefined || depth === 0) return '';
  for (const part of body.toString('latin1').split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) break;
    const { headerBytes, body: partBody } = splitMessage(Buffer.from(part.replace(/^\r?\n/, ''), 'latin1'));
    const headers = new Headers(headerBytes);
    const found = textOf(headers.getFirst('content-type'), headers.getFirst('content-transfer-encoding'), partBody, depth - 1);
    if (found !== '') return found;
  }
  return '';
}

function charsetOf(contentType: string): string {
  return /charset="?([^";\s]+)"?/i.exec(contentType)?.[1]?.toLowerCase() ?? 'utf-8';
}

function decode(body: Buffer, encoding: string, charset: string): string {
  const how = encoding.trim().toLowerCase();
  let bytes = body;
  if (how === 'base64') bytes = Buffer.from(body.toString('latin1').replace(/\s+/g, ''), 'base64');
  else if (how === 'quoted-printable') {
    const text = body.toString('latin1').replace(/=\r?\n/g, '');
    bytes = Buffer.from(
      text.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
      'latin1',
    );
  }
  try {
    return new TextDecoder(charset).decode(bytes).trim();
  } catch {
    return bytes.toString('utf8').trim();
  }
}
