/**
 * A throwaway Redis for one test file: Debian's redis-server on a free loopback port, its data in a
 * temporary folder (append-only file on, as docs/operations.md advises), no other client.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PeerProcess } from './peer-process.js';
import { answers, freePort } from './ports.js';

const REDIS_SERVER = '/usr/bin/redis-server';

export interface RedisServerOptions {
  /** More command-line options, after the defaults (`--replicaof 127.0.0.1 6380`). */
  args?: string[];
  /** Runs as a Sentinel (`redis-server FILE --sentinel`), its configuration file (which it rewrites) in the folder. */
  sentinel?: boolean;
  /** A Cluster node: cluster-enabled, its nodes file in the folder, its bus on a free port of its own (not port + 10000). */
  cluster?: boolean;
}

export class RedisServer extends PeerProcess {
  private port = 0;
  private busPort = 0;

  private constructor(
    dir: string,
    private readonly options: RedisServerOptions,
  ) {
    super('redis-server', dir);
  }

  protected get where(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The server's URL for AUTOLIST_REDIS_URL. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** HOST:PORT, for the redis+sentinel:// and redis+cluster:// URLs and redis-cli. */
  get address(): string {
    return this.where;
  }

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(mkdtempSync(join(tmpdir(), 'autolist-redis-')), options);
    await server.launchOnFreePorts(async () => {
      server.port = await freePort();
      if (options.cluster) server.busPort = await freePort();
    });
    return server;
  }

  protected async launch(): Promise<void> {
    const { sentinel = false, cluster = false, args = [] } = this.options;
    const config = join(this.dir, 'redis.conf');
    if (sentinel) writeFileSync(config, '', { flag: 'a' });
    const own = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--logfile', ''];
    // Sentinel takes its configuration file first.
    const head = sentinel ? [config, '--sentinel'] : [];
    const node = cluster ? ['--cluster-enabled', 'yes', '--cluster-port', String(this.busPort), '--cluster-config-file', 'nodes.conf'] : [];
    await this.spawnUntilReady(REDIS_SERVER, [...head, ...own, ...node, ...args], () => this.answersPing());
  }

  /** PING answered PONG: the server reads commands (it loaded its append-only file). */
  private answersPing(): Promise<boolean> {
    return answers(this.port, (data) => data.toString('latin1').startsWith('+PONG'), Buffer.from('PING\r\n'));
  }
}
