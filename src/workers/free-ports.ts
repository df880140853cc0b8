import { createServer, type Server } from 'node:net';
import type { Listener } from './fronts.js';

/**
 * The listeners with port 0 given a free port each. Workers of one front must share one port, and
 * node:cluster gives every worker's first `listen(0)` the same port, whatever the front: so the
 * supervisor picks the ports itself (all bound at once, then let go; another process taking one in
 * that instant makes the front fail to listen, as a taken port does).
 */
export async function withFreePorts(listeners: readonly Listener[]): Promise<Listener[]> {
  const held: Server[] = [];
  try {
    const chosen: Listener[] = [];
    for (const listener of listeners) {
      if (listener.port !== 0) {
        chosen.push(listener);
        continue;
      }
      const server = await bound(listener.host);
      held.push(server);
      chosen.push({ ...listener, port: (server.address() as { port: number }).port });
    }
    return chosen;
  } finally {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function bound(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });
}
