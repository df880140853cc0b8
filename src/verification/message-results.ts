import type { Headers } from 'mailsplit';
import addressparser from 'nodemailer/lib/addressparser';
import { normaliseSender } from '../address/sender-address.js';
import { parseAuthenticationResults } from '../authentication/index.js';

/** What a message says of its sender once read: DKIM, SPF and DMARC results, and its From address. */
export interface MessageResults {
  dkim: string;
  spf: string;
  dmarc: string;
}

const HEADER = 'authentication-results';

/** A header line's value, unfolded: what follows `Name:`. */
function headerValue(line: string): string {
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

/**
 * The results a trusted client (an MTA in front running OpenDMARC) wrote for `authservId`: the
 * topmost such Authentication-Results header, which that MTA added last. Undefined when there is
 * none, or when it gives no DMARC result (nothing to believe then).
 */
export function believedResults(headers: Headers, authservId: string): MessageResults | undefined {
  for (const line of headers.get(HEADER)) {
    const parsed = parseAuthenticationResults(headerValue(line));
    if (parsed?.authservId !== authservId) continue;
    const result = (method: string): string | undefined => parsed.results.find((r) => r.method === method)?.result;
    const dmarc = result('dmarc');
    if (dmarc === undefined) return undefined;
    return { dkim: result('dkim') ?? 'none', spf: result('spf') ?? 'none', dmarc };
  }
  return undefined;
}

/**
 * Removes every Authentication-Results header but those of `believed` (the trusted client's own,
 * when the message came through it): whatever else the message carries was written by someone
 * autolist does not trust, and the members' mail programs must not show it as verified.
 */
export function stripUnbelievedResults(headers: Headers, believed: string | undefined): void {
  const lines = headers.get(HEADER);
  const kept = believed === undefined ? [] : lines.filter((line) => parseAuthenticationResults(headerValue(line))?.authservId === believed);
  if (kept.length === lines.length) return;
  headers.remove(HEADER);
  // Kept in their order, at the top where they stood (trace headers come first).
  for (const line of [...kept].reverse()) headers.addFormatted(HEADER, line, 0);
}

/**
 * Whether DMARC vouches for the envelope sender: the message passes DMARC (its From domain signed
 * it, or sent it from its SPF addresses, aligned) and its one From address is the envelope sender.
 * DMARC speaks for the From domain only, so a sender whose From says someone else is not verified.
 */
export function dmarcVouchesFor(results: MessageResults, headers: Headers, sender: string): boolean {
  if (results.dmarc !== 'pass' || sender === '') return false;
  const from = headers.get('from');
  if (from.length !== 1) return false;
  const authors = addressparser(Buffer.from(headerValue(from[0] ?? ''), 'binary').toString('utf8'), { flatten: true });
  if (authors.length !== 1) return false;
  return normaliseSender(authors[0]?.address ?? '')?.address === normaliseSender(sender)?.address;
}
