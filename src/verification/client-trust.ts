import { Networks } from '../address/networks.js';
import type { VerificationConfig } from '../config/config.js';

/**
 * Which clients autolist takes at their word (AUTOLIST_TRUSTED_NETWORKS): a trusted client vouches
 * for its senders, and the Authentication-Results it adds for AUTOLIST_TRUSTED_AUTHSERV_ID are
 * believed. Behind an MTA that sends XFORWARD, the client it names is the one that vouches or not;
 * the MTA itself is still the one whose headers are believed.
 */
export class ClientTrust {
  private readonly networks: Networks;

  constructor(private readonly config: VerificationConfig) {
    this.networks = new Networks(config.trustedNetworks);
  }

  /** Whether the client (the original one, behind an MTA that forwarded it) vouches for its senders. */
  vouches(client: string | undefined): boolean {
    return this.networks.has(client);
  }

  /** The authserv-id whose results the connecting client's message carries are believed, if any. */
  believedAuthservId(connecting: string | undefined): string | undefined {
    return this.networks.has(connecting) ? this.config.trustedAuthservId : undefined;
  }
}
