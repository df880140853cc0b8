import { Resolver } from 'node:dns/promises';
import type { MailauthResolver } from 'mailauth';

/** How long one DNS query may wait for an answer, in milliseconds, per try. */
const QUERY_TIMEOUT_MS = 2_000;
const QUERY_TRIES = 2;

/** One resolver per list of servers (the configuration's, in practice): making one costs more than a check's queries. */
const resolvers = new Map<string, Resolver>();

function resolverFor(servers: readonly string[]): Resolver {
  const key = servers.join(',');
  let resolver = resolvers.get(key);
  if (resolver === undefined) {
    resolver = new Resolver({ timeout: QUERY_TIMEOUT_MS, tries: QUERY_TRIES });
    if (servers.length > 0) resolver.setServers(servers);
    resolvers.set(key, resolver);
  }
  return resolver;
}

/** A DNS failure coded like node's, so that mailauth reads it as a temporary error (temperror). */
function timeoutError(name: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`DNS lookup of ${name} abandoned: the check ran out of time`);
  error.code = 'ETIMEOUT';
  return error;
}

/**
 * The DNS lookups of one message's check: through `servers` (IP or IP:port, node's setServers
 * syntax) when given, else the system's; a query still unanswered at `deadline` (epoch ms), or
 * asked after it, fails with ETIMEOUT.
 */
export function messageResolver(servers: readonly string[], deadline: number): MailauthResolver {
  const resolver = resolverFor(servers);
  return async (name, rrtype) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timeoutError(name);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeoutError(name)), remaining);
    });
    try {
      return await Promise.race([resolver.resolve(name, rrtype), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
