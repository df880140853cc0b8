/**
 * What autolist learns about a message's sender at end of DATA: DKIM, SPF and DMARC results
 * (RFC 6376, 7208, 7489), and the Authentication-Results header value (RFC 8601) it adds.
 */

/** A DKIM result for one signature (RFC 8601 section 2.7.1). */
export type DkimResult = 'pass' | 'fail' | 'neutral' | 'policy' | 'temperror' | 'permerror' | 'none';
/** An SPF result (RFC 7208 section 2.6). */
export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror';
/** A DMARC result: `temperror` means try again later (a 4xx), never a refusal. */
export type DmarcResult = 'pass' | 'fail' | 'none' | 'temperror' | 'permerror';

export interface DkimSignatureResult {
  /** The signing domain (d=). */
  domain: string;
  selector: string;
  result: DkimResult;
  /** Whether the signing domain aligns with the From domain (relaxed alignment). */
  aligned: boolean;
}

export interface AuthenticationResult {
  dkim: {
    /** `pass` when at least one signature passes; otherwise the most telling result among the signatures, `none` when unsigned. */
    result: DkimResult;
    /** Signatures checked (at most the configured number; the rest are ignored). */
    signatures: DkimSignatureResult[];
    /** Signing domains of the passing signatures aligned with the From domain. */
    alignedDomains: string[];
  };
  spf: {
    result: SpfResult;
    /** The domain checked: the MAIL FROM domain, or the HELO name for a null sender. */
    domain: string;
  };
  dmarc: {
    result: DmarcResult;
    /** The published policy for the From domain (p=, or sp= for a subdomain); none when there is no record. */
    policy?: 'none' | 'quarantine' | 'reject';
    /** The domain of the header From address; none when the message has no single From address. */
    fromDomain?: string;
    /** Why, in a few words, when the result is not `pass` (no From, too many headers, DNS failure...). */
    reason?: string;
  };
  /** The Authentication-Results header value autolist adds: `authserv-id; dkim=...; spf=...; dmarc=...`. */
  header: string;
}

export interface AuthenticationContext {
  /** The SMTP client's address. */
  clientIp: string;
  /** The EHLO/HELO name the client gave. */
  helo: string;
  /** The MAIL FROM address; empty for the null sender. */
  mailFrom: string;
  /** autolist's own host name: the authserv-id of the header it adds (the SMTP hostname). */
  mta: string;
}

/** One result of a parsed Authentication-Results header: `method=result` and its properties. */
export interface AuthenticationResultsEntry {
  /** The method, lower-cased: dkim, spf, dmarc, arc, auth, iprev... */
  method: string;
  /** The result, lower-cased: pass, fail, none... */
  result: string;
  /** The reason (`reason="..."`), unquoted. */
  reason?: string;
  /** Properties such as `header.from`, `header.d`, `smtp.mailfrom`: keys lower-cased, values as written (unquoted). */
  properties: Record<string, string>;
}

/** A parsed Authentication-Results header value (RFC 8601 section 2.2). */
export interface AuthenticationResults {
  /** The authserv-id, lower-cased: who vouches for these results. */
  authservId: string;
  results: AuthenticationResultsEntry[];
}
