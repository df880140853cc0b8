/**
 * A throwaway DNS server for one test file: dnsmasq serving TXT records on 127.0.0.1 only, every
 * other name answered NXDOMAIN (no upstream, no hosts file, no system configuration).
 */
import { Resolver } from 'node:dns/promises';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PeerProcess } from './peer-process.js';
import { freePort } from './ports.js';
import { waitUntil } from './wait.js';

const DNSMASQ = '/usr/sbin/dnsmasq';
/** The longest character-string of a TXT record (RFC 1035 section 3.3): longer values are split. */
const TXT_STRING_MAX = 255;

/** Names the harness queries itself (readiness, markers): not counted as queries. */
const HARNESS_DOMAIN = 'harness.invalid';
const READY_NAME = `ready.${HARNESS_DOMAIN}`;

/** TXT records by owner name; a long value is published as several strings, as DKIM keys are. */
export type TxtRecords = Record<string, string>;

export class DnsServer extends PeerProcess {
  private port = 0;
  private queryCount = 0;
  private markers = 0;
  private readonly markersSeen = new Set<string>();
  private readonly conf: string;

  private constructor(dir: string) {
    super('dnsmasq', dir);
    this.conf = join(dir, 'dnsmasq.conf');
  }

  protected get where(): string {
    return this.address;
  }

  /** The server's address for node's Resolver.setServers and AUTOLIST_DNS_SERVERS. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /**
   * Queries received since start but the harness's own. The log is read asynchronously: this sends a
   * marker query and waits until the log shows it, so that every query sent before is counted.
   */
  async queries(): Promise<number> {
    const marker = `marker-${++this.markers}.${HARNESS_DOMAIN}`;
    const resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([this.address]);
    await resolver.resolveTxt(marker).catch(() => undefined);
    await waitUntil(() => this.markersSeen.has(marker), `dnsmasq logging the query for ${marker}`, { everyMs: 10 });
    return this.queryCount;
  }

  /** Writes the records and starts dnsmasq on a free port (retrying on a collision). */
  static async start(records: TxtRecords): Promise<DnsServer> {
    const server = new DnsServer(mkdtempSync(join(tmpdir(), 'autolist-dns-')));
    writeFileSync(server.conf, configuration(records));
    await server.launchOnFreePorts(async () => {
      server.port = await freePort();
    });
    return server;
  }

  /** Spawns dnsmasq in the foreground and waits until it answers the probe name; counts the queries it logs. */
  protected launch(): Promise<void> {
    const args = [
      '--keep-in-foreground',
      `--conf-file=${this.conf}`,
      '--no-resolv',
      '--no-hosts',
      '--no-poll',
      '--listen-address=127.0.0.1',
      `--port=${this.port}`,
      '--bind-interfaces',
      '--pid-file=',
      '--user=root',
      '--log-facility=-',
      '--log-queries',
    ];
    let partialLine = '';
    return this.spawnUntilReady(
      DNSMASQ,
      args,
      () => this.answers(),
      (text) => {
        const lines = (partialLine + text).split('\n');
        partialLine = lines.pop() ?? '';
        for (const line of lines.filter((line) => line.includes(': query['))) {
          const harness = /query\[\w+\] (\S+\.harness\.invalid) /.exec(line);
          if (harness) this.markersSeen.add(harness[1]!);
          else this.queryCount++;
        }
      },
    );
  }

  /** Whether the server answers the readiness name's TXT query. */
  private async answers(): Promise<boolean> {
    const resolver = new Resolver({ timeout: 250, tries: 1 });
    resolver.setServers([this.address]);
    try {
      return (await resolver.resolveTxt(READY_NAME)).length > 0;
    } catch {
      return false;
    }
  }
}

function quoted(text: string): string {
  if (/["\\\r\n]/.test(text)) throw new Error(`a TXT value dnsmasq cannot hold: ${text}`);
  return `"${text}"`;
}

/** dnsmasq's configuration: one txt-record line per name, and every other name local (NXDOMAIN, never forwarded). */
function configuration(records: TxtRecords): string {
  const lines = Object.entries({ ...records, [READY_NAME]: 'ready' }).map(([name, value]) => {
    const strings: string[] = [];
    for (let start = 0; start < value.length; start += TXT_STRING_MAX) strings.push(quoted(value.slice(start, start + TXT_STRING_MAX)));
    return `txt-record=${name},${strings.join(',')}`;
  });
  return [...lines, 'local=/#/', ''].join('\n');
}
