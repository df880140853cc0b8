import { authenticate, type AuthenticateResult, type MailauthDkimSignature } from 'mailauth';
import { AutolistError } from '../errors.js';
import { messageResolver } from './dns-resolver.js';
import { limitMessage, type MessageLimits } from './message-limits.js';
import type { AuthenticationContext, AuthenticationResult, DkimResult, DkimSignatureResult, DmarcResult, SpfResult } from './types.js';

/** How the check runs: the site's DNS servers and its bounds. */
export interface AuthenticationSettings extends Partial<MessageLimits> {
  /** DNS servers, IP or IP:port ([IPv6]:port); empty: the system's (AUTOLIST_DNS_SERVERS). */
  dnsServers: readonly string[];
  /** The whole check's time, DNS included, in milliseconds; past it, what is unknown is a temperror. */
  timeoutMs?: number;
}

/** A header block as large as Postfix's header_size_limit is checked; a larger one is not. */
const DEFAULTS = { timeoutMs: 10_000, maxHeaderBytes: 102_400, maxSignatures: 8 };
/** SPF's limits of RFC 7208 section 4.6.4. */
const SPF_MAX_LOOKUPS = 10;
const SPF_MAX_VOID_LOOKUPS = 2;

/** The check itself failed (a fault in the verifier, not in the message): try again later. */
export class AuthenticationUnavailableError extends AutolistError {
  readonly code = 'AUTHENTICATION_UNAVAILABLE';
  readonly temporary = true;
  constructor(cause: unknown) {
    super(`the message's DKIM, SPF and DMARC could not be checked: ${(cause as Error).message}`, { cause });
  }
}

const DKIM_RESULTS: readonly DkimResult[] = ['pass', 'fail', 'neutral', 'policy', 'temperror', 'permerror', 'none'];
const SPF_RESULTS: readonly SpfResult[] = ['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror'];
const DMARC_RESULTS: readonly DmarcResult[] = ['pass', 'fail', 'none', 'temperror', 'permerror'];

function oneOf<T extends string>(allowed: readonly T[], value: string | undefined, otherwise: T): T {
  return allowed.find((result) => result === value) ?? otherwise;
}

/** Which result speaks for a message's signatures: any pass, then the most telling of the others. */
const DKIM_PRECEDENCE: readonly DkimResult[] = ['pass', 'temperror', 'fail', 'policy', 'permerror', 'neutral', 'none'];

/**
 * mailauth reports a body changed after signing as `neutral (body hash did not verify)`; RFC 6376
 * section 6.1.3 makes it a failed verification, `fail` in RFC 8601's words: the result and the row say so.
 */
const BODY_HASH_MISMATCH = 'body hash did not verify';

function bodyChanged(signature: MailauthDkimSignature): boolean {
  return signature.status.result === 'neutral' && signature.status.comment === BODY_HASH_MISMATCH;
}

function signatureResult(signature: MailauthDkimSignature): DkimSignatureResult {
  return {
    domain: signature.signingDomain ?? '',
    selector: signature.selector ?? '',
    result: bodyChanged(signature) ? 'fail' : oneOf(DKIM_RESULTS, signature.status.result, 'permerror'),
    aligned: Boolean(signature.status.aligned),
  };
}

function signatureRow(signature: MailauthDkimSignature): string {
  return bodyChanged(signature) ? signature.info.replace(/^dkim=neutral /, 'dkim=fail ') : signature.info;
}

function fromDomainOf(headerFrom: string[] | undefined): string | undefined {
  if (headerFrom?.length !== 1) return undefined;
  const address = headerFrom[0]!;
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase() || undefined;
}

function dmarcPolicy(policy: string | undefined): AuthenticationResult['dmarc']['policy'] {
  return policy === 'none' || policy === 'quarantine' || policy === 'reject' ? policy : undefined;
}

/** Header text from the message or DNS goes into one header line: no line breaks of its own. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+\s*/g, ' ');
}

function resultOf(verdict: AuthenticateResult, mta: string, signaturesIgnored: number): AuthenticationResult {
  // An unsigned message has one result without a domain: `dkim=none (message not signed)`, for the header only.
  const rows = verdict.dkim.results ?? [];
  const signatures = rows.filter((signature) => signature.signingDomain).map(signatureResult);
  const dkim: DkimResult = DKIM_PRECEDENCE.find((result) => signatures.some((signature) => signature.result === result)) ?? 'none';
  const fromDomain = fromDomainOf(verdict.dkim.headerFrom);
  const spf = verdict.spf ? { result: oneOf(SPF_RESULTS, verdict.spf.status.result, 'temperror'), domain: verdict.spf.domain } : { result: 'none' as const, domain: '' };
  const dmarc: AuthenticationResult['dmarc'] = verdict.dmarc
    ? { result: oneOf(DMARC_RESULTS, verdict.dmarc.status.result, 'permerror') }
    : { result: 'permerror', reason: 'the message has no single From address' };
  if (fromDomain !== undefined) dmarc.fromDomain = fromDomain;
  const policy = verdict.dmarc ? dmarcPolicy(verdict.dmarc.policy) : undefined;
  if (policy !== undefined) dmarc.policy = policy;
  if (verdict.dmarc && dmarc.result === 'temperror') dmarc.reason = `DNS failure: ${verdict.dmarc.error ?? 'no answer'}`;
  const header = [
    ...rows.map(signatureRow),
    ...(signaturesIgnored > 0 ? [`dkim=neutral (${signaturesIgnored} more signatures not checked)`] : []),
    ...(verdict.spf ? [verdict.spf.info] : []),
    verdict.dmarc ? verdict.dmarc.info : `dmarc=permerror (${dmarc.reason})`,
  ];
  return {
    dkim: {
      result: dkim,
      signatures,
      alignedDomains: signatures.filter((signature) => signature.result === 'pass' && signature.aligned).map((signature) => signature.domain),
    },
    spf,
    dmarc,
    header: [mta, ...header.map(oneLine)].join(';\r\n\t'),
  };
}

/** A message too large to check: nothing is known, and nothing is claimed. */
function notChecked(context: AuthenticationContext, reason: string): AuthenticationResult {
  return {
    dkim: { result: 'none', signatures: [], alignedDomains: [] },
    spf: { result: 'none', domain: '' },
    dmarc: { result: 'permerror', reason },
    header: `${context.mta}; none (not checked: ${reason})`,
  };
}

/**
 * Checks a received message's DKIM signatures, its SPF (MAIL FROM, or HELO for the null sender) and
 * DMARC for its From domain. DNS trouble and time running out give `temperror` (the caller answers
 * 4xx); the promise rejects only with AuthenticationUnavailableError (temporary).
 */
export async function authenticateMessage(message: Buffer, context: AuthenticationContext, settings: AuthenticationSettings): Promise<AuthenticationResult> {
  const limits = {
    maxHeaderBytes: settings.maxHeaderBytes ?? DEFAULTS.maxHeaderBytes,
    maxSignatures: settings.maxSignatures ?? DEFAULTS.maxSignatures,
  };
  const limited = limitMessage(message, limits);
  if (!limited.ok) return notChecked(context, limited.reason);
  const resolver = messageResolver(settings.dnsServers, Date.now() + (settings.timeoutMs ?? DEFAULTS.timeoutMs));
  try {
    const verdict = await authenticate(limited.message, {
      ip: context.clientIp,
      helo: context.helo,
      sender: context.mailFrom,
      mta: context.mta,
      resolver,
      maxResolveCount: SPF_MAX_LOOKUPS,
      maxVoidCount: SPF_MAX_VOID_LOOKUPS,
      // ARC and BIMI decide nothing here, and BIMI would fetch logos over HTTPS.
      disableArc: true,
      disableBimi: true,
    });
    return resultOf(verdict, context.mta, limited.signaturesIgnored);
  } catch (error) {
    throw new AuthenticationUnavailableError(error);
  }
}
