import { Headers, Splitter, type MimeNode, type SplitterChunk } from 'mailsplit';
import type { Readable } from 'node:stream';
import { SmtpReply } from './reply.js';

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

/**
 * Reads the DATA stream whole (up to `limit` bytes; smtp-server refuses larger messages itself) and
 * parses the top-level header as it arrives; the splitter stops being fed once the header is read.
 */
export async function readMessage(stream: Readable, limit: number): Promise<ReceivedMessage> {
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
  const node = await header.catch((error: Error) => {
    throw new SmtpReply(552, '5.3.4', `the message header is too large or malformed (${error.message})`);
  });
  splitter.destroy();
  const raw = Buffer.concat(chunks);
  const headerBytes = node?.getHeaders() ?? Buffer.alloc(0);
  if (!raw.subarray(0, headerBytes.length).equals(headerBytes)) throw new SmtpReply(554, '5.6.0', 'the message header cannot be read');
  return { raw, headerBytes, body: raw.subarray(headerBytes.length), headers: new Headers(headerBytes) };
}
