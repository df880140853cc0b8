import type { StoreConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { countStoreError } from '../metrics/store-errors.js';
import type { PeerEvent, Peers } from './peers.js';
import { connectRedis, type RedisConnection } from './redis-connection.js';

/** What goes to the other replicas: reloads and invalidations (bounces they read from Redis themselves). */
export type ReplicaEvent = Exclude<PeerEvent, { kind: 'bounce' }>;

/** A message on the channel: the event and the replica it comes from. */
interface Message {
  origin: string;
  event: ReplicaEvent;
}

type RedisStore = Extract<StoreConfig, { kind: 'redis' }>;

/** Publishes this replica's events to the others (REDIS_PREFIX + `events`), never waiting on Redis. */
export class ReplicaPublisher {
  readonly channel: string;

  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
    /** This replica: one id for the supervisor of an `autolist serve` and all its workers. */
    readonly origin: string,
    private readonly logger: Logger,
  ) {
    this.channel = `${prefix}events`;
  }

  /** Tells the other replicas; a failure is logged and counted, never thrown. */
  publish(event: ReplicaEvent): void {
    const message: Message = { origin: this.origin, event };
    this.redis.publish(this.channel, JSON.stringify(message)).catch((error: unknown) => {
      countStoreError('publish');
      this.logger.warn({ err: error, event: event.kind }, 'an event could not be sent to the other replicas (Redis does not answer); the workers of this serve have it');
    });
  }
}

/**
 * Family reloads and cache invalidations to and from the other replicas, over Redis pub/sub
 * (channel REDIS_PREFIX + `events`). Every process subscribes on a connection of its own and applies
 * what comes from another replica; what comes from its own (`origin`: one id for the supervisor of
 * an `autolist serve` and all its workers) its workers already had through the supervisor. Publishing
 * never waits on Redis: while Redis is down the event reaches this serve's workers alone, and is logged.
 * Pub/sub keeps nothing: a replica cut off from Redis when an event is published never gets it.
 */
export class ReplicaEvents {
  private readonly publisher: ReplicaPublisher;
  private readonly channel: string;
  private readonly subscriber: RedisConnection;
  private apply: (event: ReplicaEvent) => void = () => {};

  constructor(
    store: RedisStore,
    /** The store's connection, to publish on. */
    redis: RedisConnection,
    /** This replica. */
    private readonly origin: string,
    private readonly logger: Logger,
  ) {
    this.publisher = new ReplicaPublisher(redis, store.prefix, origin, logger);
    this.channel = this.publisher.channel;
    this.subscriber = connectRedis(store, logger, 'events');
    // At each (re)connection: without an offline queue, a SUBSCRIBE sent before would fail.
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).catch((error: unknown) => {
        countStoreError('subscribe');
        this.logger.warn({ err: error, channel: this.channel }, 'the events of the other replicas could not be subscribed to');
      });
    });
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.received(text);
    });
  }

  /** Applies, from now on, what the other replicas publish. */
  listen(apply: (event: ReplicaEvent) => void): void {
    this.apply = apply;
  }

  /** The local workers (`peers`) and, without waiting, the other replicas. */
  peers(local: Peers): Peers {
    return {
      publish: (event) => {
        if (event.kind !== 'bounce') this.publisher.publish(event);
        return local.publish(event);
      },
      exclusive: (key, work) => local.exclusive(key, work),
      ...(local.clusterMetrics === undefined ? {} : { clusterMetrics: local.clusterMetrics }),
    };
  }

  close(): void {
    this.subscriber.disconnect();
  }

  private received(text: string): void {
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      this.logger.warn({ channel: this.channel }, 'a message on the events channel is not JSON: ignored');
      return;
    }
    if (message.origin === this.origin) return;
    try {
      this.apply(message.event);
      this.logger.debug({ event: message.event, origin: message.origin }, "another replica's event applied");
    } catch (error) {
      this.logger.error({ err: error, event: message.event.kind, origin: message.origin }, "another replica's event could not be applied");
    }
  }
}
