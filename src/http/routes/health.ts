import type { Services } from '../../services.js';
import type { HttpMetrics } from '../metrics.js';
import { directoryReadiness, storeReadiness } from '../readiness.js';
import { problems } from '../schemas/common.js';
import { healthSchema, readySchema } from '../schemas/health.js';
import type { SchemaRoutes } from '../type-provider.js';

/**
 * /healthz (the process answers: it never waits on a dependency), /readyz (directory and store
 * reachable, families compiled; 503 within AUTOLIST_READY_TIMEOUT_MS otherwise), /metrics; probes and scrapers
 * are never rate limited.
 */
export const healthRoutes: SchemaRoutes<Pick<Services, 'config' | 'directory' | 'store' | 'catalog' | 'peers'> & { metrics: HttpMetrics }> = async (
  app,
  { config, directory, store, catalog, peers, metrics },
) => {
  const { readyTimeoutMs } = config.http;
  const directoryReady = directoryReadiness(directory, readyTimeoutMs);
  const storeReady = storeReadiness(store, readyTimeoutMs);
  app.get('/healthz', { config: { rateLimit: false }, schema: { summary: 'The process is up', tags: ['operations'], response: { 200: healthSchema } } }, async () => ({ status: 'ok' }) as const);

  app.get(
    '/readyz',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Ready to serve: the directory and the store answer and families are compiled',
        tags: ['operations'],
        response: { 200: readySchema, ...problems(503) },
      },
    },
    async () => {
      // A typed error (DIRECTORY_TIMEOUT, STORE_UNAVAILABLE past the deadline) is answered as a 503 problem naming the reason.
      await Promise.all([directoryReady.check(), storeReady.check()]);
      return {
        status: 'ready' as const,
        directory: directory.kind,
        store: config.store.kind,
        families: catalog.resolver.families.map((f) => f.name),
        loadedAt: catalog.loadedAt.toISOString(),
      };
    },
  );

  app.get(
    '/metrics',
    { config: { access: 'read', rateLimit: false }, schema: { summary: 'Prometheus metrics', tags: ['operations'], produces: ['text/plain'], response: { 200: { type: 'string' } } } },
    // Under `autolist serve`, every worker's figures summed by the supervisor; else this process's.
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await (peers.clusterMetrics ?? (() => metrics.registry.metrics()))()),
  );
};
