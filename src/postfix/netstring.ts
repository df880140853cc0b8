import { PostfixProtocolError } from './errors.js';
import type { RequestDecoder } from './tcp-server.js';

const COLON = 0x3a;
const COMMA = 0x2c;

/** `12:hello world,`: the payload's length in decimal, a colon, the payload, a comma. */
export function netstring(payload: string): Buffer {
  const bytes = Buffer.from(payload, 'utf8');
  return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes, Buffer.from(',')]);
}

/**
 * Reads netstrings from a stream; a payload over `maxLength` bytes (announced, so refused before it
 * is received), a length that is not decimal or a missing comma is a protocol error.
 */
export class NetstringDecoder implements RequestDecoder<Buffer> {
  private pending = Buffer.alloc(0);
  private readonly maxDigits: number;

  constructor(private readonly maxLength: number) {
    this.maxDigits = String(maxLength).length;
  }

  push(chunk: Buffer): Buffer[] {
    const payloads: Buffer[] = [];
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const colon = data.indexOf(COLON);
      const digits = colon === -1 ? data.subarray(0, this.maxDigits + 1) : data.subarray(0, colon);
      if (!/^[0-9]*$/.test(digits.toString('latin1')) || digits.length > this.maxDigits) throw new PostfixProtocolError(`a netstring length is not a number up to ${this.maxLength}`);
      if (colon === -1) break;
      if (colon === 0) throw new PostfixProtocolError('a netstring without a length');
      const length = Number(digits.toString('latin1'));
      if (length > this.maxLength) throw new PostfixProtocolError(`a netstring of ${length} bytes, over ${this.maxLength}`);
      const end = colon + 1 + length;
      if (data.length <= end) break;
      if (data[end] !== COMMA) throw new PostfixProtocolError('a netstring not ended by a comma');
      payloads.push(data.subarray(colon + 1, end));
      data = data.subarray(end + 1);
    }
    this.pending = Buffer.from(data);
    return payloads;
  }
}
