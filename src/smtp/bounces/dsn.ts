import { Readable } from 'node:stream';
import { Splitter, type MimeNode, type SplitterChunk } from 'mailsplit';

/** A recipient a delivery status notification reports as failed. */
export interface FailedRecipient {
  address: string;
  /** RFC 3463 status (5.1.1). */
  status: string;
  diagnostic?: string;
}

const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
/** Larger status parts are not read further: a real one is a few lines per recipient. */
const MAX_STATUS_BYTES = 1_048_576;

/**
 * The failed recipients of an RFC 3464 delivery status notification (a multipart/report holding a
 * message/delivery-status part), or undefined when the message holds no such part.
 */
export async function failedRecipients(message: Buffer): Promise<FailedRecipient[] | undefined> {
  const status = await statusPart(message);
  if (status === undefined) return undefined;
  const [, ...recipients] = fieldGroups(status);
  const failed: FailedRecipient[] = [];
  for (const fields of recipients) {
    if ((fields.get('action') ?? '').toLowerCase() !== 'failed') continue;
    const address = addressOf(fields.get('final-recipient') ?? fields.get('original-recipient'));
    if (address === undefined) continue;
    const entry: FailedRecipient = { address, status: /^\d\.\d{1,3}\.\d{1,3}/.exec(fields.get('status') ?? '')?.[0] ?? '5.0.0' };
    const diagnostic = fields.get('diagnostic-code');
    if (diagnostic) entry.diagnostic = diagnostic.replace(/^[^;]*;\s*/, '');
    failed.push(entry);
  }
  return failed;
}

/**
 * The decoded body of the first delivery-status part, as text. MIME that cannot be split (a part
 * header over mailsplit's size limit) ends the reading: what came before it still counts.
 */
async function statusPart(message: Buffer): Promise<string | undefined> {
  let node: MimeNode | undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of Readable.from([message]).pipe(new Splitter()) as AsyncIterable<SplitterChunk>) {
      if (chunk.type === 'node') {
        if (node !== undefined) break;
        if (STATUS_TYPES.has(String(chunk.contentType))) node = chunk;
      } else if (node !== undefined && chunk.type === 'body' && size < MAX_STATUS_BYTES) {
        chunks.push(chunk.value);
        size += chunk.value.length;
      }
    }
  } catch {
    // See above: the MIME cannot be split further.
  }
  if (node === undefined) return undefined;
  const decoder = node.getDecoder();
  const decoded: Buffer[] = [];
  decoder.on('data', (d: Buffer) => decoded.push(d));
  const done = new Promise((resolve, reject) => decoder.on('end', resolve).on('error', reject));
  decoder.end(Buffer.concat(chunks));
  await done;
  return Buffer.concat(decoded).toString('utf8');
}

/** The blank-line separated groups of `Name: value` fields (continuation lines joined), names in lower case. */
function fieldGroups(text: string): Array<Map<string, string>> {
  const groups: Array<Map<string, string>> = [];
  for (const block of text.split(/\r?\n(?:[ \t]*\r?\n)+/)) {
    const fields = new Map<string, string>();
    for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    if (fields.size > 0) groups.push(fields);
  }
  return groups;
}

/** `rfc822; jean@example.org` -> jean@example.org. */
function addressOf(field: string | undefined): string | undefined {
  const address = field
    ?.replace(/^[^;]*;\s*/, '')
    .replace(/^<|>$/g, '')
    .trim()
    .toLowerCase();
  return address?.includes('@') ? address : undefined;
}
