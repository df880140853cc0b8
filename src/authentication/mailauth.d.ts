// mailauth ships no type declarations: the part of its API autolist calls.
declare module 'mailauth' {
  /** A DNS lookup as node's dns.promises.resolve: TXT answers are arrays of strings. */
  export type MailauthResolver = (name: string, rrtype: string) => Promise<unknown>;

  export interface MailauthStatus {
    result: string;
    comment?: string;
    aligned?: string | false;
  }

  export interface MailauthDkimSignature {
    signingDomain?: string;
    selector?: string;
    status: MailauthStatus;
    info: string;
  }

  export interface AuthenticateOptions {
    ip: string;
    helo: string;
    sender: string;
    mta: string;
    resolver: MailauthResolver;
    /** SPF: DNS lookups allowed (RFC 7208 section 4.6.4: 10). */
    maxResolveCount?: number;
    /** SPF: lookups with an empty answer allowed (RFC 7208: 2). */
    maxVoidCount?: number;
    minBitLength?: number;
    disableArc?: boolean;
    disableBimi?: boolean;
    disableDmarc?: boolean;
  }

  export interface AuthenticateResult {
    dkim: { headerFrom?: string[]; results?: MailauthDkimSignature[] };
    spf: { domain: string; status: MailauthStatus; info: string } | false;
    dmarc: { status: MailauthStatus; policy?: string; info: string; error?: string } | false;
  }

  export function authenticate(input: Buffer, options: AuthenticateOptions): Promise<AuthenticateResult>;
}

declare module 'mailauth/lib/dkim/sign.js' {
  export interface SignOptions {
    signTime?: Date;
    canonicalization?: string;
    algorithm?: string;
    signatureData: { signingDomain: string; selector: string; privateKey: string | Buffer; algorithm?: string; canonicalization?: string }[];
  }
  export function dkimSign(input: Buffer, options: SignOptions): Promise<{ signatures: string; errors: unknown[] }>;
}
