/**
 * A list's fan-out through `autolist serve` processes that share one redis-server: a generated
 * directory holding LIST's members (read from its LDIF file, or served by a slapd), a relay that
 * records each transaction (TestRelay: copies per member), and each process in a folder of its own
 * (its own delivery-record folder, unused with Redis), in a process group so that it can be killed
 * as a crash stops it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisServer } from '../harness/redis.js';
import { ServeProcess } from '../harness/serve.js';
import { Slapd } from '../harness/slapd.js';
import { nationalList } from '../smtp/crash-run.js';
import { TestRelay } from '../smtp/relay-server.js';

export class SharedFanOut {
  private readonly servers: ServeProcess[] = [];

  private constructor(
    private readonly dir: string,
    /** How autolist reaches the directory. */
    private readonly directoryEnv: Record<string, string>,
    readonly members: readonly string[],
    readonly relay: TestRelay,
    readonly redis: RedisServer,
    private readonly slapd: Slapd | undefined,
  ) {}

  static async start(options: { persons: number; slapd?: boolean }): Promise<SharedFanOut> {
    const dir = mkdtempSync(join(tmpdir(), 'autolist-shared-'));
    const ldif = join(dir, 'directory.ldif');
    const members = await nationalList(ldif, options.persons);
    const slapd = options.slapd === true ? await Slapd.start({ ldif }) : undefined;
    const directoryEnv: Record<string, string> =
      slapd === undefined ? { AUTOLIST_DIRECTORY_LDIF: ldif } : { AUTOLIST_LDAP_URL: slapd.url, AUTOLIST_LDAP_BIND_DN: slapd.bindDN, AUTOLIST_LDAP_BIND_PASSWORD: slapd.password };
    return new SharedFanOut(dir, directoryEnv, members, await TestRelay.start(), await RedisServer.start(), slapd);
  }

  /** `autolist serve` (the fronts named) in the folder `name`, relaying to the relay, its state in Redis. */
  serve(name: string, fronts: string, env: Record<string, string>): ServeProcess {
    const folder = join(this.dir, name);
    mkdirSync(folder, { recursive: true });
    const server = ServeProcess.inFolder(folder, { ...this.directoryEnv, AUTOLIST_RELAY_URL: this.relay.url, AUTOLIST_REDIS_URL: this.redis.url, ...env }, ['--fronts', fronts], {
      processGroup: true,
    });
    this.servers.push(server);
    return server;
  }

  /** Kills a process served here (all of its group), if it still runs. */
  async kill(server: ServeProcess): Promise<void> {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return;
    server.crash();
    await server.exited;
  }

  async dispose(): Promise<void> {
    for (const server of this.servers) await this.kill(server);
    await this.relay.close();
    await this.redis.dispose();
    await this.slapd?.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The port of a front of a serving process (`smtp`, `http`). */
export async function frontOf(server: ServeProcess, front: 'smtp' | 'http'): Promise<{ port: number; url: string }> {
  const url = String((await server.fronts())[front]);
  return { port: Number(new URL(url).port), url };
}
