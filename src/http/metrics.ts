import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import { type MeasuredServices, serviceMetrics } from '../service-metrics.js';

export interface HttpMetrics {
  registry: Registry;
  /** Counts and times a finished request (an onResponse hook). */
  observe(request: FastifyRequest, reply: FastifyReply): void;
}

/**
 * The Prometheus metrics of one app: the services' own (serviceMetrics) and, in the same registry,
 * requests and latencies by route.
 */
export function createMetrics(services: MeasuredServices): HttpMetrics {
  const registry = serviceMetrics(services);
  const requests = new Counter({ name: 'autolist_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'autolist_http_request_duration_seconds',
    help: 'Time to answer HTTP requests (to the last byte sent for streams)',
    labelNames: ['method', 'route'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  return {
    registry,
    observe(request, reply) {
      const route = routeOf(request);
      requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    },
  };
}

/** The route template a request matched; unmatched paths share one label (a scan must not create a series per path). */
export function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}
