import { randomUUID } from 'node:crypto';
import { Catalog } from './charter/catalog.js';
import type { Config } from './config/config.js';
import { type Directory, matchesEntry, openDirectory } from './directory/index.js';
import { Limits, SmtpClientEvents } from './limits/index.js';
import { linkSecret, TokenSigner } from './links/index.js';
import { createLogger, type Logger } from './log.js';
import { MailMetrics } from './metrics/mail-metrics.js';
import { Membership } from './membership/index.js';
import { Rights } from './rights/index.js';
import { type BounceRecord, openBounceRecord } from './store/bounces/index.js';
import { type HeldStore, openHeldStore } from './store/held/index.js';
import { openStore, type Store } from './store/index.js';
import { Subscriptions } from './subscriptions/index.js';
import { ReplicaEvents } from './store/replica-events.js';
import { type Invalidation, NO_PEERS, type PeerEvent, type Peers } from './store/peers.js';

/** Everything a front (HTTP, SMTP, CLI) works with, built once from the configuration. */
export interface Services {
  config: Config;
  logger: Logger;
  /** The families in service; `catalog.resolver` resolves addresses; `catalog.reload()` recompiles them. */
  catalog: Catalog;
  directory: Directory;
  membership: Membership;
  rights: Rights;
  /** Member addresses whose mail bounced, by address (BOUNCES_FILE, or Redis). */
  bounces: BounceRecord;
  /** The fronts' abuse limits (rates, the SMTP hard error limit), shared with the metrics. */
  limits: Limits;
  /** What SMTP clients did to their sessions (drops, timeouts, protocol errors), shared with the metrics. */
  smtpClientEvents: SmtpClientEvents;
  /** The mail path's counters and histograms; each front is given its own recorder of them. */
  mailMetrics: MailMetrics;
  /** The other workers of `autolist serve`, told of reloads, invalidations and bounces; with Redis, the other replicas too (reloads, invalidations). */
  peers: Peers;
  /** State shared with the other workers and replicas: local files, or Redis (REDIS_URL). */
  store: Store;
  /** The members as people chose them: the directory's, minus exclusions, plus additions (in the store); subscribe and unsubscribe. */
  subscriptions: Subscriptions;
  /** Messages held for moderation (files under the relay's state folder, or Redis). */
  held: HeldStore;
  /** Signs and checks the tokens of links and replies; `publicUrl` is where the links point (PUBLIC_URL). */
  links: { signer: TokenSigner; publicUrl: string };
  close(): Promise<void>;
}

/** The families in service, as configured. */
export function catalogFor(config: Config, logger?: Logger): Catalog {
  return new Catalog(config.familiesDir, {
    cacheEntries: config.resolverCacheEntries,
    localPartMax: config.localPartMax,
    overrides: config.familyOverrides,
    ...(logger === undefined ? {} : { logger }),
  });
}

/** Charters without a `cache-ttl` keep their members this long, like Sympa's default. */
const DEFAULT_MEMBERS_TTL_SECONDS = 3600;

export interface BuildOptions {
  logger?: Logger;
  /** A directory already open (tests), instead of the configured one. */
  directory?: Directory;
  /** The caches' clock, in milliseconds (tests). */
  now?: () => number;
  /** The other workers of `autolist serve` (which compacts the bounces file before they start). */
  peers?: Peers;
  /** This replica, as the other replicas know it: the supervisor's id, the same for all its workers; by default a process is one of its own. */
  replica?: string;
}

/**
 * Compiles the families, opens the directory and wires membership and rights over them. A charter
 * that does not compile or an unreadable directory file throws here, before anything serves.
 */
export async function buildServices(config: Config, options: BuildOptions = {}): Promise<Services> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const catalog = catalogFor(config, logger);
  const directory = options.directory ?? (await openDirectory(config.directory, logger));
  const mailMetrics = new MailMetrics();
  const membership = new Membership({
    directory,
    searches: mailMetrics.directory,
    maxMembersHeld: config.membership.maxMembersHeld,
    defaultTtlSeconds: DEFAULT_MEMBERS_TTL_SECONDS,
    maxStaleSeconds: config.membership.maxStaleSeconds,
    senderTtlSeconds: config.membership.senderTtlSeconds,
    logger,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const rights = new Rights({
    // Through the catalog, so that `member of` conditions follow family reloads.
    resolve: (address) => catalog.resolver.resolve(address),
    directory: membership,
    // Members as mail counts them; the subscriptions ask these rights in turn whether an addition is still admitted, so they are reached once built, below.
    members: (list, sender, maxAgeMs, directoryOnly) => subscriptions.standing(list, sender, maxAgeMs, directoryOnly),
    matches: matchesEntry,
    ttlSeconds: config.rights.ttlSeconds,
    maxEntries: config.rights.maxEntries,
    logger,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const localPeers = options.peers ?? NO_PEERS;
  const store = await openStore(config, logger, localPeers);
  const events = store.redis === undefined || config.store.kind !== 'redis' ? undefined : new ReplicaEvents(config.store, store.redis, options.replica ?? randomUUID(), logger);
  const peers = events?.peers(localPeers) ?? localPeers;
  // With Redis, the rate counts are every replica's together.
  const shared = store.redis === undefined || config.store.kind !== 'redis' ? undefined : { redis: store.redis, prefix: config.store.prefix };
  const bounces = await openBounceRecord(config, logger, {
    redis: store.redis,
    compact: options.peers === undefined,
    tell: (bounce) => void localPeers.publish({ kind: 'bounce', bounce }),
  });
  if (config.links.secret === undefined && config.store.kind === 'redis') {
    logger.warn('AUTOLIST_LINK_SECRET is not set: the links and tokens this replica signs are worth nothing to the others');
  }
  const signer = new TokenSigner(linkSecret(config.links.secret, config.relay.stateDir));
  const subscriptions: Subscriptions = new Subscriptions({ membership, rights, opt: store.opt, signer, resolve: (address) => catalog.resolver.resolve(address), logger });
  const services: Services = {
    config,
    logger,
    catalog,
    directory,
    membership,
    rights,
    bounces,
    limits: new Limits(config, logger, shared),
    smtpClientEvents: new SmtpClientEvents(logger),
    mailMetrics,
    peers,
    store,
    links: { signer, publicUrl: config.links.publicUrl },
    held: openHeldStore(config, store.redis, localPeers, logger),
    subscriptions,
    close: async () => {
      await bounces.close();
      events?.close();
      await store.close();
      await directory.close();
    },
  };
  events?.listen((event) => applyEvent(services, event));
  return services;
}

/** What applying another worker's or replica's event works with. */
export type PeerEventServices = Pick<Services, 'catalog' | 'membership' | 'rights' | 'bounces' | 'logger'>;

/** Applies here what another worker or replica did: a reload (CharterError when a charter does not compile), an invalidation, a bounce. */
export function applyEvent(services: PeerEventServices, event: PeerEvent): void {
  if (event.kind === 'reload') reloadFamilies(services);
  else if (event.kind === 'invalidate') invalidateCaches(services, event);
  else services.bounces.count(event.bounce);
}

/** Forgets cached members and decisions: of a list (its address), of a family (its name), or all. */
export function invalidateCaches(services: Pick<Services, 'membership' | 'rights'>, what: Invalidation): void {
  if (what.scope === 'list') {
    services.membership.invalidateList(what.target);
    services.rights.invalidate(what.target);
    return;
  }
  if (what.scope === 'family') services.membership.invalidateFamily(what.target);
  else services.membership.invalidateAll();
  services.rights.invalidate();
}

/**
 * Recompiles the families folder and puts the result in service at once; a charter that does not
 * compile throws CharterError and leaves the families in service as they were. Cached decisions go
 * (rules may have changed); cached members stay, keyed by the list's filter, so a list whose meaning
 * changed is expanded afresh and the others are not.
 */
export function reloadFamilies(services: Pick<Services, 'catalog' | 'rights' | 'logger'>): { families: string[]; loadedAt: Date } {
  const resolver = services.catalog.reload();
  services.rights.invalidate();
  const families = resolver.families.map((f) => f.name);
  services.logger.info({ families }, 'families reloaded');
  return { families, loadedAt: services.catalog.loadedAt };
}
