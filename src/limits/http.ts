import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Language } from '../i18n/index.js';
import { RateLimitedError } from './errors.js';
import type { KeyedRate } from './keyed-rate.js';
import { t } from './messages.js';

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

/** What a RATE_LIMITED problem tells the client (its `detail`), in `language`; the error's own message, for the log, stays English. */
export function rateLimitedText(language: Language, error: RateLimitedError): string {
  return t(language, 'httpRequests', { seconds: error.retryAfterSeconds });
}
