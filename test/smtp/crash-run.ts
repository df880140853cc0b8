/**
 * `autolist serve` killed (SIGKILL) in the middle of a list's fan-out, as a crash would stop it: the
 * relay (smtp-server in this process) records every recipient of every transaction it accepts;
 * autolist is started again on the same state folder and the client sends the same message (same
 * bytes, same Message-ID) again until it is answered 250; then the members the relay never got
 * (missing) and the copies beyond one (duplicated) are counted. The directory is a generated LDIF
 * file read by the embedded directory; the list is liste.personnels-national, every person's address.
 * Shared by the fault test and `npm run bench:crash`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeDirectory } from '../fixtures/generate-directory.js';
import { ServeProcess } from '../harness/serve.js';
import { directoryAddresses, message, swaks } from './helpers.js';
import { TestRelay } from './relay-server.js';

export const LIST = 'liste.personnels-national@lists.example.org';
export const SENDER = 'chef.bretagne@example.org';
/** Tries of the client after the restart before a run is given up (each answered 4xx, or refused for a restart under way). */
const MAX_TRIES = 20;

/** A generated directory of `persons` persons (seed 7; 61,267 make a list of 60,000) in `ldif`, and the members of LIST in it, lower case. */
export async function nationalList(ldif: string, persons: number): Promise<string[]> {
  const directory = { persons, seed: 7 };
  await writeDirectory(ldif, directory);
  return [...new Set(directoryAddresses(directory, (a) => (a.get('objectclass') ?? []).some((c) => /^inetOrgPerson$/i.test(c))))];
}

/** Sends the message from SENDER to LIST (to the port `port()` gives each time) until it is answered 250; returns how many tries it took. */
export async function sendUntilAccepted(port: () => Promise<number>, data: string): Promise<number> {
  let tries = 0;
  for (let reply = ''; !reply.startsWith('250 '); ) {
    if (++tries > MAX_TRIES) throw new Error(`no 250 after ${MAX_TRIES} tries; the last reply: ${reply}`);
    reply = (await swaks(await port(), { from: SENDER, to: LIST, data })).lastReply;
    if (!reply.startsWith('250 ')) await sleep(200);
  }
  return tries;
}

/** The members the relay never got, and the copies beyond one (all members together). */
export function copiesOf(relay: TestRelay, members: readonly string[]): { missing: number; duplicated: number } {
  const deliveries = relay.deliveries();
  const missing = members.filter((m) => !deliveries.has(m)).length;
  let duplicated = 0;
  for (const count of deliveries.values()) duplicated += count - 1;
  return { missing, duplicated };
}

export interface CrashRunOptions {
  batchSize: number;
  /** AUTOLIST_RELAY_PARALLEL_BATCHES. */
  parallelBatches: number;
  /** The relay's accepted transactions after which autolist is killed. */
  killAfter: number;
  /** How long after the relay recorded that transaction the kill is sent, milliseconds; 0: at once, before the relay's 250 is sent. */
  delayMs: number;
}

export interface CrashRun extends CrashRunOptions {
  /** Transactions the relay had accepted when the kill was sent. */
  acceptedAtKill: number;
  /** The client's last reply before the kill: none when autolist was killed before answering. */
  firstReply: string;
  /** The client's tries after the restart, up to its 250. */
  tries: number;
  missing: number;
  /** Copies beyond one, all members together. */
  duplicated: number;
  /**
   * How long after the relay recorded a transaction (just before its 250) autolist wrote its line,
   * milliseconds, for each line written before the kill: how far behind the relay autolist was.
   */
  lagsMs: number[];
}

export class CrashRuns {
  private server: ServeProcess | undefined;
  /** The batch size and parallel batches the server runs with. */
  private serverRelay = '';
  private runs = 0;

  private constructor(
    private readonly dir: string,
    private readonly ldif: string,
    readonly relay: TestRelay,
    /** The list's members, lower case. */
    readonly members: readonly string[],
  ) {}

  /** A directory of `persons` generated persons (nationalList) and the relay. */
  static async start(options: { persons: number }): Promise<CrashRuns> {
    const dir = mkdtempSync(join(tmpdir(), 'autolist-crash-'));
    const ldif = join(dir, 'directory.ldif');
    const members = await nationalList(ldif, options.persons);
    return new CrashRuns(dir, ldif, await TestRelay.start(), members);
  }

  /** The list's batches of `batchSize`. */
  batches(batchSize: number): number {
    return Math.ceil(this.members.length / batchSize);
  }

  /** Sends a new message, kills autolist where told, starts it again and sends the message again until it is answered 250. */
  async run(options: CrashRunOptions): Promise<CrashRun> {
    this.relay.reset();
    const data = message({ From: SENDER, To: LIST, Subject: `crash ${++this.runs}`, 'Message-ID': `<crash-${this.runs}-${Date.now()}@example.org>` }, 'Le message de chaque essai.\r\n');
    const port = await this.serving(options);
    const server = this.server as ServeProcess;
    let acceptedAtKill: number | undefined;
    const kill = (): void => {
      acceptedAtKill ??= this.relay.received.length;
      server.crash();
    };
    this.relay.onTransaction = (taken) => {
      if (taken !== options.killAfter) return;
      // 0: here, before the relay's 250 is sent (the batch is the relay's, autolist never hears of it).
      if (options.delayMs === 0) kill();
      else setTimeout(kill, options.delayMs);
    };
    const first = await swaks(port, { from: SENDER, to: LIST, data });
    // Answered before the kill came (it would have come after the last batch): killed now, idle.
    kill();
    await server.exited;
    this.relay.onTransaction = undefined;
    this.server = undefined;
    const lagsMs = this.lags();

    const tries = await sendUntilAccepted(() => this.serving(options), data);
    return { ...options, acceptedAtKill: acceptedAtKill ?? 0, firstReply: first.lastReply, tries, ...copiesOf(this.relay, this.members), lagsMs };
  }

  /** For each line of the partial record left by the kill, its time less the relay's for the same batch (found by its first member). */
  private lags(): number[] {
    const taken = new Map(this.relay.received.map((t) => [t.recipients[0]?.toLowerCase(), t.at]));
    const partial = join(this.dir, 'state', 'partial');
    const lags: number[] = [];
    for (const name of readdirSync(partial)) {
      for (const row of readFileSync(join(partial, name), 'utf8').split('\n')) {
        let line: { at: string; accepted: string[] };
        try {
          line = JSON.parse(row) as typeof line;
        } catch {
          continue; // cut short by the kill
        }
        const at = taken.get(line.accepted[0]?.toLowerCase());
        if (at !== undefined) lags.push(Date.parse(line.at) - at);
      }
    }
    return lags;
  }

  async dispose(): Promise<void> {
    await this.stopServer();
    await this.relay.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The SMTP port of autolist serving with these batches (the SMTP front alone), started (again) when needed. */
  private async serving(options: Pick<CrashRunOptions, 'batchSize' | 'parallelBatches'>): Promise<number> {
    const relay = `${options.batchSize}/${options.parallelBatches}`;
    if (this.server === undefined || this.serverRelay !== relay) {
      await this.stopServer();
      const env = {
        AUTOLIST_DIRECTORY_LDIF: this.ldif,
        AUTOLIST_RELAY_URL: this.relay.url,
        AUTOLIST_RELAY_BATCH_SIZE: String(options.batchSize),
        AUTOLIST_RELAY_PARALLEL_BATCHES: String(options.parallelBatches),
      };
      this.server = ServeProcess.inFolder(this.dir, env, ['--fronts', 'smtp'], { processGroup: true });
      this.serverRelay = relay;
    }
    const server = this.server;
    if (server.child.exitCode !== null) throw new Error(`autolist serve exited (${server.child.exitCode}): ${JSON.stringify(server.lines.slice(-3))}`);
    const fronts = await new Promise<Record<string, string>>((resolve, reject) => {
      server.fronts().then(resolve, reject);
      void server.exited.then((code) => reject(new Error(`autolist serve exited (${code}) before serving: ${JSON.stringify(server.lines.slice(-3))}`)));
    });
    return Number(new URL(String(fronts.smtp)).port);
  }

  private async stopServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined || server.child.exitCode !== null || server.child.signalCode !== null) return;
    server.crash();
    await server.exited;
  }
}
