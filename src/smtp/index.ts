import type { AddressInfo } from 'node:net';
import { Headers } from 'mailsplit';
import { Moderation, splitMessage } from '../moderation/index.js';
import { Relay } from '../relay/index.js';
import type { Services } from '../services.js';
import { relayListCopy } from './deliver.js';
import { createSmtpServer } from './server.js';

export interface SmtpFront {
  address: { host: string; port: number };
  /** Stops taking connections, lets the transactions under way finish (up to the command timeout), closes the relay. */
  close(): Promise<void>;
}

export interface SmtpFrontOptions {
  /** Instead of SMTP_HOST and SMTP_PORT (0: any free port). */
  host?: string;
  port?: number;
}

/** The relay of the lists' mail, started: RELAY_URL (or the outbox), each message's tries recorded in the store. */
async function openRelay(services: Services): Promise<Relay> {
  const relay = new Relay(services.config.relay, {
    hostname: services.config.smtp.hostname,
    logger: services.logger,
    onBounce: (bounce) => {
      services.bounces.record({ ...bounce, source: 'relay' });
      services.mailMetrics.bounces.bounce('relay');
    },
    metrics: services.mailMetrics.relay,
    deliveries: services.store.deliveries,
  });
  await relay.start();
  return relay;
}

/** Moderation over a relay of its own, for a front that decides on held messages (HTTP, the command line); close it after. */
export async function openModeration(services: Services): Promise<{ moderation: Moderation; close(): Promise<void> }> {
  const relay = await openRelay(services);
  return { moderation: moderationOver(services, relay), close: () => relay.close() };
}

/** Approved messages go out as the SMTP front sends any: the list's headers set, to its members, one copy each. */
function moderationOver(services: Services, relay: Relay): Moderation {
  return new Moderation(services, relay, async (list, raw, key) => {
    const { headerBytes, body } = splitMessage(raw);
    const copy = (edit: (headers: Headers) => void): Buffer => {
      const headers = new Headers(headerBytes);
      edit(headers);
      return Buffer.concat([headers.build(), body]);
    };
    const { report } = await relayListCopy({ services, relay }, list, copy, key);
    services.logger.info({ list: list.address, ...report }, 'approved message relayed to the list');
  });
}

/** Starts the SMTP front: receives mail for the lists on SMTP_HOST:SMTP_PORT and relays it to their members (or holds it for its moderators). */
export async function startSmtp(services: Services, options: SmtpFrontOptions = {}): Promise<SmtpFront> {
  const { smtp } = services.config;
  const relay = await openRelay(services);
  const moderation = moderationOver(services, relay);
  // Each worker sweeps; the store's lock makes it one sweep at a time across workers and replicas.
  const sweeper = setInterval(
    () => void moderation.sweep().catch((error: unknown) => services.logger.warn({ err: error }, 'held messages could not be swept now')),
    services.config.moderationSweepSeconds * 1000,
  );
  sweeper.unref();
  const server = createSmtpServer({ services, relay, moderation });
  const host = options.host ?? smtp.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? smtp.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    clearInterval(sweeper);
    await relay.close();
    throw error;
  });
  const { port } = server.server.address() as AddressInfo;
  services.logger.info({ host, port, relay: relay.destination(5) }, 'SMTP front listening');
  return {
    address: { host, port },
    close: async () => {
      clearInterval(sweeper);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await relay.close();
    },
  };
}
