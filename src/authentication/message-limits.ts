/**
 * Bounds the work a hostile message can cause before mailauth reads it: mailauth keeps the whole
 * header block in memory and fetches a key and hashes the body for every DKIM-Signature, so a
 * message with a huge header block is not checked, and signatures past the first few are ignored
 * (RFC 6376 section 6.1 lets a verifier limit the signatures it tries).
 */

export interface MessageLimits {
  /** Largest header block checked, in bytes. */
  maxHeaderBytes: number;
  /** DKIM signatures checked, the topmost (most recent) first. */
  maxSignatures: number;
}

export type LimitedMessage = { ok: true; message: Buffer; signaturesIgnored: number } | { ok: false; reason: string };

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const DKIM_SIGNATURE = 'dkim-signature';

/** Where the header block ends (the index of the empty line's first byte), or -1 beyond `limit` bytes. */
function headerEnd(message: Buffer, limit: number): number {
  const end = Math.min(message.length, limit);
  for (let index = 0; index < end; index++) {
    if (message[index] !== LF) continue;
    const next = index + 1;
    if (message[next] === LF) return next;
    if (message[next] === CR && message[next + 1] === LF) return next;
  }
  // No empty line: a message made of headers only, if it ends within the limit.
  return message.length <= limit ? message.length : -1;
}

/** The header fields of a header block, each with its folded continuation lines: [start, end) byte ranges. */
function headerFields(message: Buffer, end: number): Array<[number, number]> {
  const fields: Array<[number, number]> = [];
  let start = 0;
  for (let index = 0; index < end; index++) {
    if (message[index] !== LF) continue;
    const next = index + 1;
    const folded = message[next] === SPACE || message[next] === TAB;
    if (!folded) {
      fields.push([start, next]);
      start = next;
    }
  }
  if (start < end) fields.push([start, end]);
  return fields;
}

function isDkimSignature(message: Buffer, [start, end]: [number, number]): boolean {
  if (end - start <= DKIM_SIGNATURE.length) return false;
  const name = message.toString('latin1', start, start + DKIM_SIGNATURE.length + 1).toLowerCase();
  return name.startsWith(DKIM_SIGNATURE) && (name.endsWith(':') || name.endsWith(' ') || name.endsWith('\t'));
}

/** The message as mailauth may read it: its header block within bounds, its excess signatures left out. */
export function limitMessage(message: Buffer, limits: MessageLimits): LimitedMessage {
  const end = headerEnd(message, limits.maxHeaderBytes);
  if (end < 0) return { ok: false, reason: `header block larger than ${limits.maxHeaderBytes} bytes` };
  const fields = headerFields(message, end);
  const signatures = fields.filter((field) => isDkimSignature(message, field));
  const signaturesIgnored = Math.max(0, signatures.length - limits.maxSignatures);
  if (signaturesIgnored === 0) return { ok: true, message, signaturesIgnored };
  const ignored = new Set(signatures.slice(limits.maxSignatures));
  const kept = fields.filter((field) => !ignored.has(field)).map(([start, stop]) => message.subarray(start, stop));
  return { ok: true, message: Buffer.concat([...kept, message.subarray(end)]), signaturesIgnored };
}
