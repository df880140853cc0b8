import type { Config } from '../config/config.js';
import { ListenError } from '../errors.js';
import { buildApp } from '../http/app.js';
import { startPolicyServer, startSocketmapServer } from '../postfix/index.js';
import type { Services } from '../services.js';
import { startSmtp } from '../smtp/index.js';

/** The fronts `autolist serve` runs, each in processes of its own: the Postfix policy and socketmap servers are one front. */
export const FRONT_NAMES = ['http', 'smtp', 'postfix'] as const;
export type FrontName = (typeof FRONT_NAMES)[number];

/** One listening socket of a front: its name in logs (`http`, `postfix-policy`...), what it is, where. */
export interface Listener {
  name: string;
  label: string;
  host: string;
  port: number;
}

/** A listening front: where, and how to stop it (finishing the work under way). */
export interface Front {
  name: string;
  url: string;
  close(): Promise<void>;
}

/** Where a front listens, as configured (port 0: any free port); the Postfix front only on the ports that are set. */
export function listenersOf(front: FrontName, config: Config): Listener[] {
  const { http, smtp, postfix } = config;
  if (front === 'http') return [{ name: 'http', label: 'HTTP front', host: http.host, port: http.port }];
  if (front === 'smtp') return [{ name: 'smtp', label: 'SMTP front', host: smtp.host, port: smtp.port }];
  const listeners: Listener[] = [];
  if (postfix.policyPort !== undefined) listeners.push({ name: 'postfix-policy', label: 'Postfix policy server', host: postfix.host, port: postfix.policyPort });
  if (postfix.socketmapPort !== undefined) listeners.push({ name: 'postfix-socketmap', label: 'Postfix socketmap server', host: postfix.host, port: postfix.socketmapPort });
  return listeners;
}

/** Starts listening; throws a ListenError when the address cannot be had. */
export async function startListener(services: Services, listener: Listener): Promise<Front> {
  const { name, host, port } = listener;
  try {
    if (name === 'http') {
      const app = await buildApp(services);
      return { name, url: await app.listen({ host, port }), close: () => app.close() };
    }
    if (name === 'smtp') {
      const front = await startSmtp(services, { host, port });
      return { name, url: `smtp://${hostPort(front.address)}`, close: () => front.close() };
    }
    if (name === 'postfix-policy') {
      const server = await startPolicyServer(services, { host, port });
      return { name, url: `inet:${hostPort(server.address)}`, close: () => server.close() };
    }
    const server = await startSocketmapServer(services, { host, port });
    return { name, url: `socketmap:inet:${hostPort(server.address)}:lists`, close: () => server.close() };
  } catch (error) {
    throw new ListenError(listener.label, host, port, error);
  }
}

function hostPort(address: { host: string; port: number }): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
