import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { RateLimitedError } from './errors.js';
import type { KeyedRate } from './keyed-rate.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route is not rate limited (health checks and metrics, which probes and scrapers call). */
    rateLimit?: boolean;
  }
}

/**
 * The HTTP front's rate limit (an onRequest hook, before authentication so that guessing tokens is
 * limited too): requests a minute per configured bearer token, or per client address (request.ip:
 * the X-Forwarded-For client when the peer is a trusted proxy). Past it, a RATE_LIMITED problem (429,
 * Retry-After).
 */
export function httpRateLimit(rate: KeyedRate, tokenOf: (request: FastifyRequest) => 'read' | 'admin' | undefined): onRequestHookHandler {
  return (request, _reply, done) => {
    if (request.routeOptions.config.rateLimit === false) return done();
    const token = tokenOf(request);
    rate.take(token === undefined ? `ip ${request.ip}` : `token ${token}`).then(
      (verdict) => done(verdict.allowed ? undefined : new RateLimitedError(verdict.retryAfterSeconds)),
      (error: unknown) => done(error as Error),
    );
  };
}
