/**
 * A mail domain for tests: its DKIM key (RSA 2048, made here), the TXT records that publish its
 * key, SPF (127.0.0.1 only, unless told) and DMARC (p=reject) policies for a DnsServer, and DKIM signing.
 */
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import type { TxtRecords } from './dns.js';

export class MailDomain {
  readonly privateKey: string;
  private readonly publicKey: string;

  constructor(
    readonly domain: string,
    readonly selector = 'autolist',
    /** The domain's SPF record: the loopback sends its mail by default. */
    private readonly spf = 'v=spf1 ip4:127.0.0.1 -all',
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.publicKey = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  }

  /** The domain's DKIM key, SPF and DMARC records. */
  records(): TxtRecords {
    return {
      [`${this.selector}._domainkey.${this.domain}`]: `v=DKIM1; k=rsa; p=${this.publicKey}`,
      [this.domain]: this.spf,
      [`_dmarc.${this.domain}`]: 'v=DMARC1; p=reject',
    };
  }

  /** The message with a DKIM-Signature of this domain (relaxed/relaxed, rsa-sha256) on top; `bodyLength`: its l= tag, the octets of body signed. */
  async sign(message: Buffer | string, options: { bodyLength?: number } = {}): Promise<Buffer> {
    const input = Buffer.from(message);
    const { signatures, errors } = await dkimSign(input, {
      // Without it mailauth reads the clock twice (t= signed, t= written) and the two may differ by a second.
      signTime: new Date(),
      canonicalization: 'relaxed/relaxed',
      signatureData: [{ signingDomain: this.domain, selector: this.selector, privateKey: this.privateKey, ...(options.bodyLength === undefined ? {} : { maxBodyLength: options.bodyLength }) }],
    });
    if (errors.length > 0 || !signatures) throw new Error(`DKIM signing failed: ${JSON.stringify(errors)}`);
    return Buffer.concat([Buffer.from(signatures), input]);
  }
}
