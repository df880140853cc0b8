import swagger from '@fastify/swagger';
import fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { networkText } from '../address/networks.js';
import { httpRateLimit } from '../limits/index.js';
import type { Services } from '../services.js';
import { openModeration } from '../smtp/index.js';
import { authenticator, tokenHolder } from './auth.js';
import { HttpError, ShuttingDownError } from './errors.js';
import { createMetrics, routeOf } from './metrics.js';
import { OPENAPI_OPTIONS } from './openapi.js';
import { problemOf, sendClientErrorProblem, sendProblem } from './problem.js';
import { addressDetail, rateLimitedDetail } from './problem-language.js';
import { REQUEST_ID_HEADER, requestId } from './request-id.js';
import { adminRoutes } from './routes/admin.js';
import { bounceRoutes } from './routes/bounces.js';
import { charterRoutes } from './routes/charters.js';
import { explorerRoutes } from './routes/explorer.js';
import { exportRoutes } from './routes/export.js';
import { familyRoutes } from './routes/families.js';
import { healthRoutes } from './routes/health.js';
import { listRoutes } from './routes/lists.js';
import { memberRoutes } from './routes/members.js';
import { oneClickRoutes } from './routes/one-click.js';
import { overrideRoutes } from './routes/overrides.js';
import { moderationRoutes } from './routes/moderation.js';
import { problemRoutes } from './routes/problems.js';
import { rightsRoutes } from './routes/rights.js';
import { studioRoutes } from './routes/studio.js';
import { suggestRoutes } from './routes/suggest.js';
import { listSchema, problemSchema } from './schemas/common.js';

/** Longest path parameter routed (an encoded 254-octet address fits); longer gets a 414 problem. */
const MAX_PARAM_LENGTH = 1024;
/** Time a client has to send its whole request (headers and body); a slow one gets a 408 problem. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The HTTP API and the explorer page, built from the services (no listening here: `autolist serve`
 * listens). Every error leaves as an RFC 9457 problem; 5xx details stay in the log. Each request
 * logs one line, under its request id.
 */
export async function buildApp(services: Services): Promise<FastifyInstance> {
  const { http } = services.config;
  const app = fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    // One line per request, written when it is answered (below).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestId,
    requestIdHeader: false,
    bodyLimit: http.bodyLimitBytes,
    http: { maxHeaderSize: http.headerLimitBytes },
    requestTimeout: REQUEST_TIMEOUT_MS,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // request.ip (logged, and the rate limit's key) is X-Forwarded-For's client only behind a trusted proxy.
    trustProxy: http.trustedProxies.length === 0 ? false : http.trustedProxies.map(networkText),
    return503OnClosing: false,
    clientErrorHandler: sendClientErrorProblem,
    frameworkErrors: (error, request, reply) => {
      sendProblem(reply, problemOf(error, request).problem);
    },
  });
  app.decorateRequest('problemCode', null);

  let closing = false;
  const metrics = createMetrics(services);
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Hooks every request runs take callbacks: cheaper than promises.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header('x-content-type-options', 'nosniff');
    done(closing ? new ShuttingDownError() : undefined);
  });
  if (services.limits.http) app.addHook('onRequest', httpRateLimit(services.limits.http, tokenHolder(http)));
  const authenticate = authenticator(http);
  if (authenticate) app.addHook('onRequest', authenticate);
  const logRequests = services.logger.isLevelEnabled('info');
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observe(request, reply);
    if (logRequests) {
      const line = { method: request.method, url: request.url.slice(0, 512), route: routeOf(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ip: request.ip };
      request.log.info(request.problemCode === null ? line : { ...line, code: request.problemCode }, 'request');
    }
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const { problem, internal } = problemOf(error, request);
    const { resolver } = services.catalog;
    problem.detail = addressDetail(error, resolver.families, services.config.language) ?? rateLimitedDetail(error, request.params, resolver, services.config.language) ?? problem.detail;
    if (internal) request.log.error({ err: error }, 'internal error');
    else if (problem.status >= 500) request.log.warn({ err: error, code: problem.code }, problem.detail);
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, problemOf(new HttpError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]?.slice(0, 200)}`), request).problem));

  app.addSchema(problemSchema);
  app.addSchema(listSchema);
  await app.register(swagger, OPENAPI_OPTIONS);

  const { config, catalog, membership, rights, bounces, peers, directory, store, logger, subscriptions } = services;
  const prefix = '/v1';
  await app.register(listRoutes, { prefix, catalog });
  await app.register(memberRoutes, { prefix, catalog, membership, subscriptions });
  await app.register(overrideRoutes, { prefix, catalog, subscriptions });
  await app.register(oneClickRoutes, { subscriptions });
  await app.register(rightsRoutes, { prefix, catalog, rights });
  await app.register(familyRoutes, { prefix, catalog });
  await app.register(exportRoutes, { prefix, catalog, directory, membership, config });
  await app.register(charterRoutes, { prefix, familiesDir: config.familiesDir });
  await app.register(suggestRoutes, { prefix, catalog });
  await app.register(adminRoutes, { prefix, catalog, membership, rights, peers, logger });
  await app.register(studioRoutes, { prefix, catalog, membership, rights, peers, logger, familiesDir: config.familiesDir });
  await app.register(bounceRoutes, { prefix, bounces });
  // Decisions relay approved messages: the relay is opened at the first one, and closed with the app.
  let opened: ReturnType<typeof openModeration> | undefined;
  app.addHook('onClose', async () => void (await (await opened?.catch(() => undefined))?.close()));
  const moderation = async () => {
    opened ??= openModeration(services).catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    return (await opened).moderation;
  };
  await app.register(moderationRoutes, { prefix, catalog, held: services.held, signer: services.links.signer, moderation });
  await app.register(healthRoutes, { config, directory, store, catalog, peers, metrics });
  await app.register(problemRoutes);
  await app.register(explorerRoutes);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
