import { CharterError, formatDiagnostic } from '../charter/errors.js';
import { loadConfig } from '../config/config.js';
import { AutolistError } from '../errors.js';
import { createLogger, routeConsoleToLog } from '../log.js';
import { serviceMetrics } from '../service-metrics.js';
import { applyEvent, buildServices, type PeerEventServices, type Services } from '../services.js';
import { type Front, startListener } from './fronts.js';
import { isOwnMessage, type ToSupervisor, type ToWorker } from './messages.js';
import type { PeerEvent } from '../store/peers.js';
import { WorkerPeers } from './worker-peers.js';

/**
 * One worker of `autolist serve`: waits for the front it is to serve, builds its own services
 * (caches, directory connections), listens (the supervisor shares the port among the workers of a
 * front), applies what the other workers publish, and stops on SIGTERM/SIGINT or when the
 * supervisor is gone, finishing the work under way. Returns the exit code.
 */
export async function runWorker(): Promise<number> {
  // The supervisor reloads every worker on its own SIGHUP; one sent to the whole process group must not end a worker.
  process.on('SIGHUP', () => {});
  const start = await new Promise<Extract<ToWorker, { autolist: 'start' }>>((resolve) => {
    const onMessage = (message: unknown): void => {
      if (!isOwnMessage<ToWorker>(message) || message.autolist !== 'start') return;
      process.off('message', onMessage);
      resolve(message);
    };
    process.on('message', onMessage);
    send({ autolist: 'waiting' });
  });
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
    process.once('disconnect', () => resolve());
  });

  let services: Services | undefined;
  const fronts: Front[] = [];
  try {
    const config = loadConfig();
    const logger = createLogger(config.logLevel).child({ worker: start.front });
    routeConsoleToLog(logger);
    const peers = new WorkerPeers(logger);
    services = await buildServices(config, { logger, peers, replica: start.replica });
    const ready = services;
    process.on('message', (message) => {
      if (!isOwnMessage<ToWorker>(message)) return;
      if (message.autolist === 'event') send({ autolist: 'applied', id: message.id, ...applied(ready, message.event) });
      else if (message.autolist === 'published' || message.autolist === 'metrics' || message.autolist === 'locked') peers.answered(message);
    });
    // The HTTP app makes its own, with its request figures; the other fronts' figures are summed with it all the same.
    if (start.front !== 'http') serviceMetrics(services);
    for (const listener of start.listeners) fronts.push(await startListener(services, listener));
    send({ autolist: 'listening', urls: Object.fromEntries(fronts.map((f) => [f.name, f.url])) });
  } catch (error) {
    await closeAll(fronts);
    await services?.close();
    if (!(error instanceof AutolistError)) throw error;
    await sent({ autolist: 'failed', message: error.message, temporary: error.temporary });
    if (process.connected) process.disconnect();
    return error.temporary ? 75 : 1;
  }
  await stopRequested;
  await closeAll(fronts);
  await services.close();
  // The IPC channel would keep the process alive.
  if (process.connected) process.disconnect();
  return 0;
}

/** Applies another worker's event here; a reload that fails says why (the families in service stay). */
function applied(services: PeerEventServices, event: PeerEvent): Pick<Extract<ToSupervisor, { autolist: 'applied' }>, 'error'> {
  try {
    applyEvent(services, event);
    return {};
  } catch (error) {
    const diagnostics = error instanceof CharterError ? { diagnostics: error.diagnostics.map((d) => formatDiagnostic(d)) } : {};
    return { error: { message: (error as Error).message, ...diagnostics } };
  }
}

function send(message: ToSupervisor): void {
  if (process.connected) process.send?.(message);
}

/** Sends and waits until the message left. */
function sent(message: ToSupervisor): Promise<void> {
  return new Promise((resolve) => (process.connected && process.send ? process.send(message, () => resolve()) : resolve()));
}

/** Closes the fronts, the last started first. */
async function closeAll(fronts: readonly Front[]): Promise<void> {
  for (const front of [...fronts].reverse()) await front.close();
}
