import type { AddressInfo } from 'node:net';
import { Relay } from '../relay/index.js';
import type { Services } from '../services.js';
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

/** Starts the SMTP front: receives mail for the lists on SMTP_HOST:SMTP_PORT and relays it to their members. */
export async function startSmtp(services: Services, options: SmtpFrontOptions = {}): Promise<SmtpFront> {
  const { smtp } = services.config;
  const relay = new Relay(services.config.relay, {
    hostname: smtp.hostname,
    logger: services.logger,
    onBounce: (bounce) => {
      services.bounces.record({ ...bounce, source: 'relay' });
      services.mailMetrics.bounces.bounce('relay');
    },
    metrics: services.mailMetrics.relay,
    deliveries: services.store.deliveries,
  });
  await relay.start();
  const server = createSmtpServer({ services, relay });
  const host = options.host ?? smtp.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? smtp.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await relay.close();
    throw error;
  });
  const { port } = server.server.address() as AddressInfo;
  services.logger.info({ host, port, relay: relay.destination(5) }, 'SMTP front listening');
  return {
    address: { host, port },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await relay.close();
    },
  };
}
