import { Resolver } from 'node:dns/promises';
import type { MailauthResolver } from 'mailauth';

/** How long one DNS query may wait for an answer, in milliseconds, per try. */
const QUERY_TIMEOUT_MS = 2_000;
const QUERY_TRIES = 2;

/** The lookups of one message's check: they end with the deadline. */
export interface MessageResolver {
  resolve: MailauthResolver;
  /** Cancels the queries under way; later ones fail at once. */
  close(): void;
}

/** A DNS failure coded like node's, so that mailauth reads it as a temporary error (temperror). */
function timeoutError(name: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`DNS lookup of ${name} abandoned: the check ran out of time`);
  error.code = 'ETIMEOUT';
  return error;
}

/**
 * A resolver for one message: through `servers` (IP or IP:port, node's setServers syntax) when
 * given, else the system's; every query fails with ETIMEOUT once `deadline` (epoch ms) has passed.
 */
export function messageResolver(servers: readonly string[], deadline: number): MessageResolver {
  const resolver = new Resolver({ timeout: QUERY_TIMEOUT_MS, tries: QUERY_TRIES });
  if (servers.length > 0) resolver.setServers(servers);
  let closed = false;
  return {
    resolve: async (name, rrtype) => {
      const remaining = deadline - Date.now();
      if (closed || remaining <= 0) throw timeoutError(name);
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timeoutError(name)), remaining);
      });
      try {
        return await Promise.race([resolver.resolve(name, rrtype), expired]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => {
      closed = true;
      resolver.cancel();
    },
  };
}
