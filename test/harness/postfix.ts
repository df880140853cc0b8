/**
 * A private Postfix instance for one test file: its own configuration, queue and data folders under
 * a temporary folder, one smtpd on a free loopback port, logs to a file of its own (postlogd); the
 * system's mail setup is never read nor touched. Started with `postfix -c DIR start`, ready once
 * its smtpd greets, stopped with `postfix -c DIR stop`, and no process of it left behind.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { answers, freePort } from './ports.js';
import { waitUntil } from './wait.js';

const run = promisify(execFile);

/** Postfix's commands (Debian package postfix, installed by test/install-peers.sh). */
const POSTFIX = '/usr/sbin/postfix';
const PORT_ATTEMPTS = 5;
const DEFAULT_HOSTNAME = 'mx.example.org';

/** The daemons a relaying instance needs, none chrooted (the queue is a temporary folder); no local delivery. */
const MASTER_SERVICES = `pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;

export interface PostfixOptions {
  /** main.cf lines added after the instance's own (queue, data, logs, loopback only). */
  mainCf: string;
  /** myhostname (default mx.example.org); must differ from the greeting of the servers it relays to (else "loops back to myself"). */
  hostname?: string;
  /** master.cf lines added after the instance's own (a second smtpd on a port of the caller's, say). */
  masterCf?: string;
}

export class PostfixInstance {
  /** The port of its smtpd, on 127.0.0.1. */
  port = 0;
  private readonly onExit = (): void => this.disposeSync();

  private constructor(
    private readonly dir: string,
    private readonly options: PostfixOptions,
  ) {
    process.on('exit', this.onExit);
  }

  private get configDir(): string {
    return join(this.dir, 'etc');
  }

  private get queueDir(): string {
    return join(this.dir, 'queue');
  }

  /** Its log (maillog_file), for failure messages and assertions. */
  log(): string {
    try {
      return readFileSync(join(this.dir, 'maillog'), 'utf8');
    } catch {
      return '';
    }
  }

  static async start(options: PostfixOptions): Promise<PostfixInstance> {
    const dir = mkdtempSync(join(tmpdir(), 'autolist-postfix-instance-'));
    // Postfix's daemons run as the postfix user: they must reach the folders below.
    chmodSync(dir, 0o755);
    const instance = new PostfixInstance(dir, options);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await instance.launch(await freePort());
          return instance;
        } catch (error) {
          // Another process may have taken the port between the check and Postfix's bind.
          await instance.stop();
          if (attempt >= PORT_ATTEMPTS) throw error;
        }
      }
    } catch (error) {
      await instance.dispose();
      throw error;
    }
  }

  /** `postfix reload`: new smtpd processes, with no table failure remembered; returns once the old ones are gone and it greets. */
  async reload(): Promise<void> {
    const before = this.processes('smtpd');
    await this.postfix('reload');
    const gone = (): boolean => !this.processes('smtpd').some((pid) => before.includes(pid));
    await waitUntil(gone, () => `Postfix's smtpd processes ${before.join(', ')} exiting after postfix reload:\n${this.log()}`);
    await this.waitUntilGreeting();
  }

  /** Whether its queue holds no message (all delivered, or none taken). */
  queueIsEmpty(): boolean {
    return ['maildrop', 'incoming', 'active', 'deferred', 'hold'].every((folder) => countFiles(join(this.queueDir, folder)) === 0);
  }

  /** Waits (bounded) until its queue is empty. */
  async waitForEmptyQueue(): Promise<void> {
    await waitUntil(
      () => this.queueIsEmpty(),
      () => `Postfix's queue emptying:\n${this.log()}`,
    );
  }

  /** `postfix stop`, then any process of the instance left is killed. */
  async stop(): Promise<void> {
    if (this.processes().length === 0) return;
    await this.postfix('stop').catch(() => undefined);
    this.killLeftovers();
  }

  /** Stops the instance and removes its folder. */
  async dispose(): Promise<void> {
    await this.stop();
    process.off('exit', this.onExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private disposeSync(): void {
    try {
      if (this.processes().length > 0) execFileSync(POSTFIX, ['-c', this.configDir, 'stop'], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // Killed below.
    }
    this.killLeftovers();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(port: number): Promise<void> {
    this.port = port;
    this.writeConfig();
    await this.postfix('start');
    await this.waitUntilGreeting();
  }

  private writeConfig(): void {
    const data = join(this.dir, 'data');
    mkdirSync(this.configDir, { recursive: true });
    mkdirSync(this.queueDir, { recursive: true });
    mkdirSync(data, { recursive: true });
    chownSync(data, postfixUid(), -1);
    const main = [
      'compatibility_level = 3.6',
      `queue_directory = ${this.queueDir}`,
      `data_directory = ${data}`,
      'mail_owner = postfix',
      'setgid_group = postdrop',
      `maillog_file_prefixes = ${this.dir}`,
      `maillog_file = ${join(this.dir, 'maillog')}`,
      'inet_interfaces = 127.0.0.1',
      'inet_protocols = ipv4',
      `myhostname = ${this.options.hostname ?? DEFAULT_HOSTNAME}`,
      'mydestination =',
      'alias_maps =',
      'alias_database =',
      'mynetworks_style = host',
      // Nothing is ever sent to a host found in the DNS: next hops are loopback addresses.
      'smtp_host_lookup = native',
      'smtpd_peername_lookup = no',
      this.options.mainCf,
    ].join('\n');
    const master = `127.0.0.1:${this.port} inet n - n - - smtpd\n${MASTER_SERVICES}${this.options.masterCf ?? ''}\n`;
    for (const [name, text] of [
      ['main.cf', `${main}\n`],
      ['master.cf', master],
    ] as const) {
      const file = join(this.configDir, name);
      writeFileSync(file, text);
      // Postfix waits (up to 2 s) for a configuration modified in the last seconds to settle: make it old.
      utimesSync(file, 0, 0);
    }
  }

  private async waitUntilGreeting(): Promise<void> {
    // Its own greeting, not another server's that took the port.
    const greeting = `220 ${this.options.hostname ?? DEFAULT_HOSTNAME} ESMTP Postfix`;
    const greets = (): Promise<boolean> => answers(this.port, (data) => data.toString().startsWith(greeting));
    await waitUntil(greets, () => `Postfix greeting on port ${this.port}:\n${this.log()}`);
  }

  private async postfix(command: 'start' | 'stop' | 'reload'): Promise<void> {
    try {
      await run(POSTFIX, ['-c', this.configDir, command], { timeout: 20_000 });
    } catch (error) {
      throw new Error(`postfix ${command} failed: ${(error as { stderr?: string }).stderr ?? String(error)}\n${this.log()}`);
    }
  }

  /** The processes of this instance (their environment names its configuration folder), of one program if given. */
  private processes(program?: string): number[] {
    const marker = `MAIL_CONFIG=${this.configDir}\0`;
    const found: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (program !== undefined && readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== program) continue;
        if (`${readFileSync(`/proc/${entry}/environ`, 'latin1')}`.includes(marker)) found.push(Number(entry));
      } catch {
        // The process exited meanwhile.
      }
    }
    return found;
  }

  private killLeftovers(): void {
    for (const pid of this.processes()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

function postfixUid(): number {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postfix:'));
  const uid = Number(line?.split(':')[2]);
  if (!Number.isInteger(uid)) throw new Error('no postfix user: install the postfix package (test/install-peers.sh)');
  return uid;
}

function countFiles(folder: string): number {
  try {
    return readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  } catch {
    return 0;
  }
}
