import { PostfixProtocolError } from './errors.js';
import type { RequestDecoder } from './tcp-server.js';

/** One policy request: its attributes by name (a repeated name keeps the last value). */
export type PolicyRequest = Map<string, string>;

/** Postfix sends short attributes (addresses, host names, certificate fields): generous bounds. */
export const MAX_POLICY_LINE_BYTES = 4096;
export const MAX_POLICY_REQUEST_BYTES = 32_768;

const NEWLINE = 0x0a;

/**
 * The SMTPD_POLICY_README framing: `name=value` lines, an empty line ends a request. A line
 * without `=`, an empty name, a line or request over the bounds, a request that is not
 * `request=smtpd_access_policy` is a protocol error.
 */
export class PolicyDecoder implements RequestDecoder<PolicyRequest> {
  private pending = Buffer.alloc(0);
  private attributes: PolicyRequest = new Map();
  private requestBytes = 0;

  push(chunk: Buffer): PolicyRequest[] {
    const requests: PolicyRequest[] = [];
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (let end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE)) {
      if (end > MAX_POLICY_LINE_BYTES) throw new PostfixProtocolError(`a line is longer than ${MAX_POLICY_LINE_BYTES} bytes`);
      const line = data.subarray(0, end).toString('utf8').replace(/\r$/, '');
      this.requestBytes += end + 1;
      data = data.subarray(end + 1);
      if (this.requestBytes > MAX_POLICY_REQUEST_BYTES) throw new PostfixProtocolError(`a request is larger than ${MAX_POLICY_REQUEST_BYTES} bytes`);
      if (line === '') {
        if (this.attributes.get('request') !== 'smtpd_access_policy') throw new PostfixProtocolError('a request without request=smtpd_access_policy');
        requests.push(this.attributes);
        this.attributes = new Map();
        this.requestBytes = 0;
        continue;
      }
      const equals = line.indexOf('=');
      if (equals <= 0) throw new PostfixProtocolError(`expected name=value, got ${JSON.stringify(line.slice(0, 80))}`);
      this.attributes.set(line.slice(0, equals), line.slice(equals + 1));
    }
    if (data.length > MAX_POLICY_LINE_BYTES) throw new PostfixProtocolError(`a line is longer than ${MAX_POLICY_LINE_BYTES} bytes`);
    this.pending = Buffer.from(data);
    return requests;
  }
}
