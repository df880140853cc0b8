/**
 * What every throwaway server a test starts (slapd, dnsmasq) has in common: its own temporary
 * folder, a child process in the foreground on a free loopback port, readiness by asking it (no
 * fixed sleeps), pause/resume/stop/restart for fault tests, and no process left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { threadStats } from './proc-stat.js';
import { WAIT_BOUND_MS, waitUntil } from './wait.js';

const STOP_TIMEOUT_MS = 10_000;
/** Tries at a free port before giving up: another process may take it between the check and the bind. */
const PORT_ATTEMPTS = 5;

export abstract class PeerProcess {
  private child: ChildProcess | undefined;
  /** The end of what the process wrote to standard error, for failure messages. */
  protected stderr = '';
  private readonly onExit = (): void => this.kill();

  protected constructor(
    /** The name in failure messages (`slapd`, `dnsmasq`). */
    private readonly name: string,
    /** The temporary folder of the process, removed with it. */
    protected readonly dir: string,
  ) {
    process.on('exit', this.onExit);
  }

  /** Where the process answers, for failure messages. */
  protected abstract get where(): string;

  /** Spawns the process (with `spawnUntilReady`). */
  protected abstract launch(): Promise<void>;

  /** Picks fresh ports (`choosePorts`) and launches, again on a collision; removes everything on failure. */
  protected async launchOnFreePorts(choosePorts: () => Promise<void>): Promise<void> {
    try {
      for (let attempt = 1; ; attempt++) {
        await choosePorts();
        try {
          return await this.launch();
        } catch (error) {
          if (attempt >= PORT_ATTEMPTS) throw error;
        }
      }
    } catch (error) {
      await this.dispose();
      throw error;
    }
  }

  /** Spawns the command with standard error captured (each chunk also to `onStderr`), and waits until `ready()`. */
  protected async spawnUntilReady(command: string, args: string[], ready: () => Promise<boolean>, onStderr?: (text: string) => void): Promise<void> {
    this.stderr = '';
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-4000);
      onStderr?.(text);
    });
    this.child = child;
    const answering = async (): Promise<boolean> => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${this.name} exited (${child.exitCode ?? child.signalCode}): ${this.stderr}`);
      return ready();
    };
    await waitUntil(answering, () => `${this.name} answering on ${this.where}: ${this.stderr}`).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
  }

  /**
   * Freezes the process (SIGSTOP): connections stay open, nothing answers. Resolves once every thread
   * of it is stopped: kill(2) returns before the stop takes hold, and a request sent at once could
   * still be answered.
   */
  async pause(): Promise<void> {
    const child = this.child;
    if (child?.pid === undefined) return;
    child.kill('SIGSTOP');
    const pid = child.pid;
    // Field 3, the state: T stopped (t stopped while traced).
    const stopped = async (): Promise<boolean> => (await threadStats(pid)).every(([state]) => state === 'T' || state === 't');
    await waitUntil(stopped, `${this.name} stopped by SIGSTOP`, { everyMs: 5 });
  }

  /** Lets a paused process run again (SIGCONT). */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Stops the process (SIGTERM, then SIGKILL if it lingers); its folder stays for restart(). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // A paused process would not act on SIGTERM.
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Starts the process again on the same ports with the same data. */
  async restart(): Promise<void> {
    await this.stop();
    const deadline = Date.now() + WAIT_BOUND_MS;
    // The port may still be held for a moment by the old process's sockets.
    for (;;) {
      try {
        await this.launch();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  /** Stops the process and removes its folder. */
  async dispose(): Promise<void> {
    await this.stop();
    process.off('exit', this.onExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private kill(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
