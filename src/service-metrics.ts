import cluster from 'node:cluster';
import { type Aggregator, AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { packageVersion } from './config/version.js';
import type { Services } from './services.js';
import { storeErrors } from './metrics/store-errors.js';

type Labels = Record<string, string>;

/** What serviceMetrics reads of the services. */
export type MeasuredServices = Pick<Services, 'catalog' | 'membership' | 'rights' | 'limits' | 'smtpClientEvents' | 'mailMetrics'>;

/**
 * A Prometheus registry holding what the services count themselves (members cache, directory
 * searches, decisions, rates, SMTP client events), read at scrape time, the mail path's counters
 * (MailMetrics), the shared store's errors, the build, and Node's own figures under their usual
 * names (process_*, nodejs_*), so that stock Node dashboards read them. In a worker of
 * `autolist serve` it is the registry the supervisor sums with the other workers'.
 */
export function serviceMetrics(services: MeasuredServices): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  services.mailMetrics.registerIn(registry);
  registry.registerMetric(storeErrors);
  // The same in every worker: the largest, not the sum.
  new Gauge({
    name: 'autolist_build_info',
    help: 'The version of autolist (package.json) and of Node, as labels; always 1',
    labelNames: ['version', 'node'],
    aggregator: 'max',
    registers: [registry],
  }).set({ version: packageVersion(), node: process.version }, 1);
  // Every worker compiles the same families: summed over workers, the count would be multiplied.
  held(registry, 'autolist_families', 'Families in service', () => services.catalog.resolver.families.length, 'max');
  const stats = () => services.membership.stats();
  mirror(registry, 'autolist_members_cache_hits_total', 'Members and sender answers served fresh from the cache', [], () => [[{}, stats().hits]]);
  mirror(registry, 'autolist_members_cache_misses_total', 'Members and sender answers that needed the directory', [], () => [[{}, stats().misses]]);
  mirror(registry, 'autolist_members_cache_stale_served_total', 'Answers served past their TTL (refreshing, or the directory down)', [], () => [[{}, stats().staleServed]]);
  mirror(registry, 'autolist_directory_searches_total', 'Directory searches started', [], () => [[{}, stats().searches]]);
  mirror(registry, 'autolist_directory_errors_total', 'Directory searches that failed', [], () => [[{}, stats().errors]]);
  held(registry, 'autolist_members_cache_lists', 'Lists whose members are cached', () => stats().listsHeld);
  held(registry, 'autolist_members_cache_members', 'Member addresses cached, all lists together', () => stats().membersHeld);
  held(registry, 'autolist_members_cache_senders', 'Sender lookups cached', () => stats().sendersHeld);
  mirror(registry, 'autolist_rights_decisions_total', 'Rights decisions by outcome (cached ones included)', ['outcome'], () => {
    const c = services.rights.counters();
    return [
      [{ outcome: 'allow' }, c.allow],
      [{ outcome: 'deny' }, c.deny],
      [{ outcome: 'defer' }, c.defer],
      [{ outcome: 'pending' }, c.pending],
      [{ outcome: 'moderate' }, c.moderate],
    ];
  });
  mirror(registry, 'autolist_rights_cached_decisions_total', 'Rights decisions answered from the decisions cache', [], () => [[{}, services.rights.counters().cached]]);
  const { limits } = services;
  mirror(registry, 'autolist_rate_limited_total', 'Commands (SMTP MAIL, RCPT) and requests (HTTP) refused past a rate, by front and limit', ['front', 'limit'], () =>
    limits.rates().map((r) => [{ front: r.front, limit: r.limit }, r.refused]),
  );
  new Gauge({
    name: 'autolist_rate_limit_keys',
    help: 'Client addresses, senders or tokens each rate holds now (at most AUTOLIST_RATE_LIMIT_KEYS)',
    labelNames: ['front', 'limit'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of limits.rates()) this.set({ front: r.front, limit: r.limit }, r.keys);
    },
  });
  mirror(registry, 'autolist_smtp_hard_error_disconnects_total', 'SMTP sessions closed (421 4.7.0) at AUTOLIST_SMTP_HARD_ERROR_LIMIT refused recipients', [], () => [
    [{}, limits.smtp.hardErrorDisconnects],
  ]);
  mirror(registry, 'autolist_smtp_client_events_total', 'SMTP sessions spoilt by their client, by event (dropped_in_data, connection_error, timeout, protocol_error)', ['event'], () =>
    services.smtpClientEvents.figures().map(([event, count]) => [{ event }, count]),
  );
  if (cluster.isWorker) {
    // Constructed once in a worker, it answers the supervisor's requests for this process's metrics.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
  }
  return registry;
}

/** A gauge read when Prometheus scrapes. */
function held(registry: Registry, name: string, help: string, read: () => number, aggregator: Aggregator = 'sum'): void {
  new Gauge({
    name,
    help,
    aggregator,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** A counter whose values another object keeps: read when Prometheus scrapes. */
function mirror(registry: Registry, name: string, help: string, labelNames: string[], read: () => Array<[Labels, number]>): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.inc(labels, value);
    },
  });
}
