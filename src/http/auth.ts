import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { HttpConfig } from '../config/config.js';
import { HttpError } from './errors.js';

/** Who may call a route: anyone, holders of the read (or admin) token, or of the admin token. */
export type Access = 'public' | 'read' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

/**
 * The check each request goes through (an onRequest hook); none when no token is configured. Read
 * routes take the read or the admin token; admin routes the admin token. A route whose token is
 * not configured is open (allowed on a loopback host only, which the configuration enforces).
 */
export function authenticator(config: Pick<HttpConfig, 'readToken' | 'adminToken'>): ((request: FastifyRequest) => Promise<void>) | undefined {
  if (config.readToken === undefined && config.adminToken === undefined) return undefined;
  const read = config.readToken === undefined ? undefined : digest(config.readToken);
  const admin = config.adminToken === undefined ? undefined : digest(config.adminToken);
  return async (request) => {
    const access = request.routeOptions.config.access ?? 'public';
    if (access === 'public') return;
    // An admin route without an admin token falls back on the read token: never less guarded than a read route.
    const wanted = access === 'admin' ? (admin ?? read) : read;
    if (wanted === undefined) return;
    const given = bearer(request.headers.authorization);
    if (given === undefined) throw new HttpError('UNAUTHORIZED', 'this route needs a bearer token (Authorization: Bearer TOKEN)');
    const hash = digest(given);
    if (timingSafeEqual(hash, wanted) || (admin !== undefined && timingSafeEqual(hash, admin))) return;
    if (read !== undefined && timingSafeEqual(hash, read)) throw new HttpError('FORBIDDEN', 'this route needs the admin token');
    throw new HttpError('UNAUTHORIZED', 'the bearer token is not valid');
  };
}

/**
 * Which configured token a request carries ('read' or 'admin'), if any: the rate limit counts a
 * token's requests together, and anything else (no token, a wrong one) by client address.
 */
export function tokenHolder(config: Pick<HttpConfig, 'readToken' | 'adminToken'>): (request: FastifyRequest) => 'read' | 'admin' | undefined {
  const read = config.readToken === undefined ? undefined : digest(config.readToken);
  const admin = config.adminToken === undefined ? undefined : digest(config.adminToken);
  return (request) => {
    const given = bearer(request.headers.authorization);
    if (given === undefined || (read === undefined && admin === undefined)) return undefined;
    const hash = digest(given);
    if (admin !== undefined && timingSafeEqual(hash, admin)) return 'admin';
    if (read !== undefined && timingSafeEqual(hash, read)) return 'read';
    return undefined;
  };
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

/** Tokens are compared as SHA-256 digests: equal lengths, in constant time. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
