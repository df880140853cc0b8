/** `autolist serve` as a child process, as an operator runs it: its JSON log lines read as they come. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

export interface StartOptions {
  /** In a process group of its own (the supervisor and its workers), so that crash() stops them all. */
  processGroup?: boolean;
}

export class ServeProcess {
  readonly lines: Array<Record<string, unknown>> = [];
  private readonly waiters: Array<() => void> = [];
  /** Its output ended: a line not read yet will never come. */
  private closed = false;
  readonly exited: Promise<number | null>;

  constructor(
    readonly child: ChildProcess,
    /** Leads a process group of its own (StartOptions.processGroup). */
    private readonly groupLeader = false,
  ) {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      try {
        this.lines.push(JSON.parse(text));
      } catch {
        return;
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    // `close`, not `exit`: every line it wrote has been read by then.
    child.once('close', () => {
      this.closed = true;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** `autolist serve` from this checkout (through tsx), with these variables added to the environment. */
  /**
   * `autolist serve` on free loopback ports (HTTP and SMTP), writing its outbox, delivery records
   * and bounces in `dir`, logging at info (the line that says where the fronts listen).
   */
  static inFolder(dir: string, env: Record<string, string> = {}, args: string[] = [], options: StartOptions = {}): ServeProcess {
    const folder = {
      AUTOLIST_HTTP_HOST: '127.0.0.1',
      AUTOLIST_HTTP_PORT: '0',
      AUTOLIST_SMTP_PORT: '0',
      AUTOLIST_OUTBOX_DIR: join(dir, 'outbox'),
      AUTOLIST_RELAY_STATE_DIR: join(dir, 'state'),
      AUTOLIST_BOUNCES_FILE: join(dir, 'bounces.log'),
      AUTOLIST_LOG_LEVEL: 'info',
    };
    return ServeProcess.start({ ...folder, ...env }, args, options);
  }

  /** One worker a front unless `env` says otherwise: each worker costs a second or more of start under tsx. */
  static start(env: Record<string, string>, args: string[] = [], options: StartOptions = {}): ServeProcess {
    const workers = { AUTOLIST_HTTP_WORKERS: '1', AUTOLIST_SMTP_WORKERS: '1', AUTOLIST_POSTFIX_WORKERS: '1' };
    const detached = options.processGroup ?? false;
    return new ServeProcess(
      spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args], { env: { ...process.env, ...workers, ...env }, stdio: ['ignore', 'pipe', 'inherit'], detached }),
      detached,
    );
  }

  /** SIGKILL to the supervisor and its workers at once, as a crash stops them: needs `processGroup`. */
  crash(): void {
    if (!this.groupLeader) throw new Error('crash() needs a process group: start with { processGroup: true }');
    try {
      process.kill(-(this.child.pid as number), 'SIGKILL');
    } catch (error) {
      // Already gone.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /** SIGTERM, as `systemctl stop` sends it (the transactions under way finish); resolves with the exit code once it exited. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** The first log line (from `from` on) whose message is `msg`; throws, with the last lines, if the process exits first. */
  async logged(msg: string, from = 0): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.lines.slice(from).find((l) => l.msg === msg);
      if (found) return found;
      if (this.closed)
        throw new Error(
          `autolist serve exited (${this.child.exitCode ?? this.child.signalCode}) before logging "${msg}"; its last lines:\n${this.lines
            .slice(-5)
            .map((l) => JSON.stringify(l))
            .join('\n')}`,
        );
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  /** Where each front listens, once serving: `{ http: 'http://127.0.0.1:PORT', smtp: 'smtp://127.0.0.1:PORT' }`. */
  async fronts(): Promise<Record<string, string>> {
    return (await this.logged('autolist serving')).fronts as Record<string, string>;
  }
}

/** The child processes of a process (autolist serve's workers), from /proc; none once it is gone. */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
