/**
 * A throwaway Redis for one test file: Debian's redis-server on a free loopback port, its data in a
 * temporary folder (append-only file on, as docs/operations.md advises), no other client.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PeerProcess } from './peer-process.js';
import { answers, freePort } from './ports.js';

const REDIS_SERVER = '/usr/bin/redis-server';

export class RedisServer extends PeerProcess {
  private port = 0;

  private constructor(dir: string) {
    super('redis-server', dir);
  }

  protected get where(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The server's URL for AUTOLIST_REDIS_URL. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(mkdtempSync(join(tmpdir(), 'autolist-redis-')));
    await server.launchOnFreePorts(async () => {
      server.port = await freePort();
    });
    return server;
  }

  protected async launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--logfile', ''];
    await this.spawnUntilReady(REDIS_SERVER, args, () => this.answersPing());
  }

  /** PING answered PONG: the server reads commands (it loaded its append-only file). */
  private answersPing(): Promise<boolean> {
    return answers(this.port, (data) => data.toString('latin1').startsWith('+PONG'), Buffer.from('PING\r\n'));
  }
}
