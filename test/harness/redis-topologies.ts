/**
 * Throwaway Redis deployments of several servers, for the redis+sentinel:// and redis+cluster://
 * forms of REDIS_URL: a master, its replica and a Sentinel watching them; a Cluster of three masters.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RedisServer } from './redis.js';
import { waitUntil } from './wait.js';

const REDIS_CLI = '/usr/bin/redis-cli';
const run = promisify(execFile);

export interface RedisTopology {
  /** The URL for AUTOLIST_REDIS_URL. */
  url: string;
  /** Stops every server and removes their folders. */
  dispose(): Promise<void>;
}

async function disposeAll(servers: RedisServer[]): Promise<void> {
  for (const server of servers) await server.dispose();
}

/** Sends a command with redis-cli to the server at HOST:PORT; its answer. */
async function cli(address: string, ...command: string[]): Promise<string> {
  const [host, port] = address.split(':') as [string, string];
  const { stdout } = await run(REDIS_CLI, ['-h', host, '-p', port, ...command]);
  return stdout;
}

/** A master, its replica, and a Sentinel monitoring the master under `name` (quorum 1). */
export async function startSentinel(name: string): Promise<RedisTopology & { master: RedisServer; replica: RedisServer; sentinel: RedisServer }> {
  const servers: RedisServer[] = [];
  try {
    const master = await RedisServer.start();
    servers.push(master);
    const [host, port] = master.address.split(':') as [string, string];
    const replica = await RedisServer.start({ args: ['--replicaof', host, port] });
    servers.push(replica);
    const sentinel = await RedisServer.start({ sentinel: true, args: ['--sentinel', 'monitor', name, host, port, '1'] });
    servers.push(sentinel);
    return { master, replica, sentinel, url: `redis+sentinel://${sentinel.address}/${name}`, dispose: () => disposeAll(servers.reverse()) };
  } catch (error) {
    await disposeAll(servers.reverse());
    throw error;
  }
}

/** Three cluster-enabled masters joined by `redis-cli --cluster create`, once every node says the cluster is ok. */
export async function startCluster(): Promise<RedisTopology & { nodes: RedisServer[] }> {
  const nodes: RedisServer[] = [];
  try {
    for (let node = 0; node < 3; node++) nodes.push(await RedisServer.start({ cluster: true }));
    const addresses = nodes.map((node) => node.address);
    await run(REDIS_CLI, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    let states: string[] = [];
    await waitUntil(
      async () => {
        states = await Promise.all(addresses.map(async (address) => /cluster_state:(\w+)/.exec(await cli(address, 'cluster', 'info'))?.[1] ?? '?'));
        return states.every((state) => state === 'ok');
      },
      () => `every cluster node in state ok: ${states.join(', ')}`,
    );
    return { nodes, url: `redis+cluster://${addresses.join(',')}`, dispose: () => disposeAll(nodes) };
  } catch (error) {
    await disposeAll(nodes);
    throw error;
  }
}
