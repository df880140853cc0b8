import { Headers, Splitter, type MimeNode, type SplitterChunk } from 'mailsplit';
import type { Readable } from 'node:stream';
import type { Language } from '../i18n/index.js';
import { SmtpReply } from '../reply/smtp-reply.js';
import { t } from './messages.js';

/** A message as received: its bytes, and its top-level header parsed (mailsplit). */
export interface ReceivedMessage {
  raw: Buffer;
  /** The top-level header block as received, blank line included. */
  headerBytes: Buffer;
  /** Everything after the header block: sent on byte for byte. */
  body: Buffer;
  /** The header, parsed; read only (each list's copy edits its own). */
  headers: Headers;
}

/** Largest top-level header block accepted. */
const MAX_HEADER_BYTES = 1_048_576;

/** RFC 5322 2.1.1: a line is at most 998 octets, CRLF not counted. */
const MAX_LINE_OCTETS = 998;

/**
 * Reads the DATA stream whole and parses the top-level header as it arrives (the splitter stops being
 * fed once the header is read). A message over `limit` bytes (552 5.3.4) or with a line over 998
 * octets (550 5.6.0) is refused, read to its end but not kept; the refusal in `language`.
 */
export async function readMessage(stream: Readable, limit: number, language: Language): Promise<ReceivedMessage> {
  const splitter = new Splitter({ maxHeadSize: MAX_HEADER_BYTES });
  let root: MimeNode | undefined;
  const header = new Promise<MimeNode | undefined>((resolve, reject) => {
    splitter.on('data', (chunk: SplitterChunk) => {
      if (root === undefined && chunk.type === 'node') resolve((root = chunk));
    });
    splitter.on('end', () => resolve(root));
    splitter.on('error', reject);
  });
  // Handled below, once the stream is read; without this a failure meanwhile would count as unhandled.
  header.catch(() => undefined);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (size + chunk.length <= limit) chunks.push(chunk);
    size += chunk.length;
    if (root === undefined && !splitter.destroyed) splitter.write(chunk);
  }
  if (root === undefined) splitter.end();
  if (size > limit) {
    splitter.destroy();
    throw new SmtpReply(552, '5.3.4', t(language, 'tooLarge', { limit: String(limit) }));
  }
  const node = await header.catch((error: Error) => {
    throw new SmtpReply(552, '5.3.4', t(language, 'headerUnreadable', { error: error.message }));
  });
  splitter.destroy();
  const raw = Buffer.concat(chunks);
  const long = firstLongLine(raw);
  // Refused rather than split as Postfix does: splitting would break the DKIM signatures of the copies.
  if (long !== undefined) throw new SmtpReply(550, '5.6.0', t(language, 'lineTooLong', { line: String(long), max: String(MAX_LINE_OCTETS) }));
  const headerBytes = node?.getHeaders() ?? Buffer.alloc(0);
  if (!raw.subarray(0, headerBytes.length).equals(headerBytes)) throw new SmtpReply(554, '5.6.0', t(language, 'headerMismatch'));
  return { raw, headerBytes, body: raw.subarray(headerBytes.length), headers: new Headers(headerBytes) };
}

/** The number (from 1) of the first line longer than MAX_LINE_OCTETS, its CR or LF not counted; undefined when none is. */
function firstLongLine(raw: Buffer): number | undefined {
  let start = 0;
  for (let line = 1; start < raw.length; line++) {
    const newline = raw.indexOf(0x0a, start);
    const end = newline === -1 ? raw.length : newline;
    const length = end - start - (end > start && raw[end - 1] === 0x0d ? 1 : 0);
    if (length > MAX_LINE_OCTETS) return line;
    if (newline === -1) return undefined;
    start = newline + 1;
  }
  return undefined;
}
