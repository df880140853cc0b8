import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PostfixProtocolError } from '../../src/postfix/errors.js';
import { netstring, NetstringDecoder } from '../../src/postfix/netstring.js';
import { MAX_POLICY_LINE_BYTES, MAX_POLICY_REQUEST_BYTES, PolicyDecoder, type PolicyRequest } from '../../src/postfix/policy-decoder.js';
import type { RequestDecoder } from '../../src/postfix/tcp-server.js';
import { holds } from '../harness/property.js';

/** What a decoder made of a stream: the requests it gave, and whether it then refused the stream. */
interface Outcome<R> {
  requests: R[];
  refused: boolean;
}

/** Feeds the chunks in order; a refusal must be the typed protocol error and ends the stream, as the server closes the connection. */
function feed<R>(decoder: RequestDecoder<R>, chunks: readonly Buffer[]): Outcome<R> {
  const requests: R[] = [];
  for (const chunk of chunks) {
    try {
      requests.push(...decoder.push(chunk));
    } catch (error) {
      assert.ok(error instanceof PostfixProtocolError, `not the typed error: ${String(error)}`);
      assert.equal(error.code, 'POSTFIX_PROTOCOL');
      assert.equal(error.temporary, false);
      return { requests, refused: true };
    }
  }
  return { requests, refused: false };
}

/** The bytes cut at the given places (any order, repeats allowed). */
function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

const oneByteAtATime = (bytes: Buffer): Buffer[] => [...bytes].map((b) => Buffer.from([b]));
const cuts = fc.array(fc.nat(), { maxLength: 12 });

/**
 * However a stream is cut, a decoder gives the same requests: the reference is the stream read one
 * byte at a time. Without a refusal every cutting gives them all; with one, every cutting refuses
 * too, and the requests it gave first are among the reference's, in order.
 */
function sameForAnyCutting<R>(make: () => RequestDecoder<R>, bytes: Buffer, at: readonly number[], same: (a: R[], b: R[]) => void): void {
  const reference = feed(make(), oneByteAtATime(bytes));
  const whole = feed(make(), [bytes]);
  const cut = feed(make(), split(bytes, at));
  assert.equal(whole.refused, reference.refused, 'one chunk and one byte at a time disagree');
  assert.equal(cut.refused, reference.refused, 'the cut stream and one byte at a time disagree');
  if (!reference.refused) {
    same(whole.requests, reference.requests);
    same(cut.requests, reference.requests);
  } else {
    same(cut.requests, reference.requests.slice(0, cut.requests.length));
  }
}

const sameBuffers = (a: Buffer[], b: Buffer[]): void =>
  assert.deepEqual(
    a.map((x) => x.toString('hex')),
    b.map((x) => x.toString('hex')),
  );

describe('netstrings (socketmap framing)', () => {
  const MAX = 64;
  const payload = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => Buffer.byteLength(s) <= MAX);
  /** Netstring-like bytes: well-formed ones, their pieces, digits, separators and any byte. */
  const streamPiece = fc.oneof(
    payload.map((p) => netstring(p)),
    fc.constantFrom(':', ',', '0', '1', '9', '64:', '65:', '00:', '3:abc,', '3:abcd', ':,').map((s) => Buffer.from(s)),
    fc.uint8Array({ maxLength: 6 }).map((a) => Buffer.from(a)),
  );
  const stream = fc.array(streamPiece, { maxLength: 8 }).map((parts) => Buffer.concat(parts));

  it('decodes what netstring() encodes, cut anywhere', () => {
    holds(
      fc.property(fc.array(payload, { maxLength: 8 }), cuts, (payloads, at) => {
        const bytes = Buffer.concat(payloads.map((p) => netstring(p)));
        const out = feed(new NetstringDecoder(MAX), split(bytes, at));
        assert.equal(out.refused, false);
        sameBuffers(
          out.requests,
          payloads.map((p) => Buffer.from(p, 'utf8')),
        );
        assert.deepEqual(
          out.requests.map((b) => b.toString('utf8')),
          payloads.map((p) => Buffer.from(p, 'utf8').toString('utf8')),
        );
      }),
      { numRuns: 1500 },
    );
  });

  it('any bytes decode or give the typed protocol error, the same however they are cut', () => {
    holds(
      fc.property(
        fc.oneof(
          stream,
          fc.uint8Array({ maxLength: 80 }).map((a) => Buffer.from(a)),
        ),
        cuts,
        (bytes, at) => {
          sameForAnyCutting(() => new NetstringDecoder(MAX), bytes, at, sameBuffers);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('holds at most one netstring: a length over the limit is refused from its header, before any payload', () => {
    holds(
      fc.property(fc.bigInt({ min: BigInt(MAX) + 1n, max: 10n ** 30n }), fc.boolean(), (length, zeros) => {
        const header = Buffer.from(`${zeros ? '000' : ''}${length}:`);
        assert.equal(feed(new NetstringDecoder(MAX), oneByteAtATime(header)).refused, true);
      }),
      { numRuns: 300 },
    );
    // The real socketmap limit: announcing a gigabyte costs eleven bytes, nothing more.
    assert.equal(feed(new NetstringDecoder(10_000), [Buffer.from('1000000000:')]).refused, true);
    assert.equal(feed(new NetstringDecoder(10_000), [Buffer.from('100000')]).refused, true, 'more digits than the limit has is refused before the colon');
  });

  it('any stream longer than one netstring of the largest size gives a payload or is refused', () => {
    // digits of MAX, a colon, MAX bytes, a comma: nothing longer may wait in the decoder.
    const longest = String(MAX).length + 1 + MAX + 1;
    const filler = fc.oneof(
      stream,
      fc.uint8Array({ minLength: longest, maxLength: longest }).map((a) => Buffer.from(a)),
    );
    holds(
      fc.property(fc.array(filler, { minLength: 1, maxLength: 4 }), cuts, (parts, at) => {
        const bytes = Buffer.concat([...parts, Buffer.alloc(longest, 0x30)]).subarray(0, longest);
        const out = feed(new NetstringDecoder(MAX), split(bytes, at));
        assert.ok(out.refused || out.requests.length > 0, `${JSON.stringify(bytes.toString('latin1'))} is held whole`);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('Postfix policy requests (SMTPD_POLICY_README framing)', () => {
  const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((s) => !/[=\n]/.test(s));
  const value = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !/\n|\r$/.test(s));
  const request = fc
    .array(fc.tuple(fc.oneof(name, fc.constantFrom('recipient', 'sender', 'client_address', 'request')), value), { maxLength: 8 })
    .map((pairs) => new Map<string, string>([...pairs.filter(([n]) => n !== 'request'), ['request', 'smtpd_access_policy']]));
  const encode = (r: PolicyRequest, crlf: boolean): Buffer => Buffer.from(`${[...r].map(([n, v]) => `${n}=${v}${crlf ? '\r\n' : '\n'}`).join('')}\n`, 'utf8');
  /** The map as decoding gives it: names and values through UTF-8 (a lone surrogate becomes U+FFFD). */
  const asDecoded = (r: PolicyRequest): PolicyRequest => new Map([...r].map(([n, v]) => [Buffer.from(n).toString(), Buffer.from(v).toString()]));
  const sameRequests = (a: PolicyRequest[], b: PolicyRequest[]): void =>
    assert.deepEqual(
      a.map((m) => [...m]),
      b.map((m) => [...m]),
    );

  it('decodes requests as written, with LF or CRLF line ends, cut anywhere', () => {
    holds(
      fc.property(fc.array(request, { minLength: 1, maxLength: 4 }), fc.boolean(), cuts, (requests, crlf, at) => {
        const bytes = Buffer.concat(requests.map((r) => encode(r, crlf)));
        const out = feed(new PolicyDecoder(), split(bytes, at));
        assert.equal(out.refused, false);
        sameRequests(out.requests, requests.map(asDecoded));
      }),
      { numRuns: 1000 },
    );
  });

  it('a repeated name keeps its last value', () => {
    const out = feed(new PolicyDecoder(), [Buffer.from('request=smtpd_access_policy\nsender=a@x\nsender=b@x\n\n')]);
    assert.equal(out.requests[0]?.get('sender'), 'b@x');
  });

  it('any bytes decode or give the typed protocol error, the same however they are cut', () => {
    const piece = fc.oneof(
      request.map((r) => encode(r, false)),
      fc.constantFrom('\n', '\r\n', '=', 'request=smtpd_access_policy\n', 'request=other\n', 'x=\n', '=x\n', 'novalue\n').map((s) => Buffer.from(s)),
      fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
    );
    const stream = fc.array(piece, { maxLength: 8 }).map((parts) => Buffer.concat(parts));
    holds(
      fc.property(
        fc.oneof(
          stream,
          fc.uint8Array({ maxLength: 100 }).map((a) => Buffer.from(a)),
        ),
        cuts,
        (bytes, at) => {
          sameForAnyCutting(() => new PolicyDecoder(), bytes, at, sameRequests);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('holds at most one line and one request: longer ones are refused as they arrive', () => {
    holds(
      fc.property(fc.integer({ min: 1, max: 3 * MAX_POLICY_LINE_BYTES }), fc.boolean(), cuts, (extra, newline, at) => {
        const line = Buffer.concat([Buffer.from('sender='), Buffer.alloc(MAX_POLICY_LINE_BYTES + extra - 7, 0x61), Buffer.from(newline ? '\n' : '')]);
        assert.equal(feed(new PolicyDecoder(), split(line, at)).refused, true, `a line of ${MAX_POLICY_LINE_BYTES + extra} bytes`);
      }),
      { numRuns: 200 },
    );
    // Lines within bounds that together pass the request bound: refused before the empty line.
    const longLine = `x=${'a'.repeat(MAX_POLICY_LINE_BYTES - 2)}\n`;
    const lines = Buffer.from(longLine.repeat(Math.ceil(MAX_POLICY_REQUEST_BYTES / longLine.length) + 1));
    assert.equal(feed(new PolicyDecoder(), [lines]).refused, true);
    assert.equal(feed(new PolicyDecoder(), [Buffer.from(`request=smtpd_access_policy\n${longLine}\n`)]).refused, false, 'a line at the bound is taken');
  });
});
