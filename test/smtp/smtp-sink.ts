/**
 * Postfix's smtp-sink as a relay for one test file or bench: listens on 127.0.0.1, accepts every
 * message and dumps each transaction (envelope and content) to a file of its own, read back here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answers, freePort } from '../harness/ports.js';
import { waitUntil } from '../harness/wait.js';

const SMTP_SINK = '/usr/sbin/smtp-sink';

/** One transaction as the sink received it. */
export interface DumpedTransaction {
  sender: string;
  recipients: string[];
  /** The message (header and body), line ends as smtp-sink writes them (LF). */
  message: string;
}

export interface SinkOptions {
  /** Dump transactions (default true; the bench turns it off). */
  dump?: boolean;
}

export class SmtpSink {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(options: SinkOptions = {}): Promise<SmtpSink> {
    const dir = mkdtempSync(join(tmpdir(), 'autolist-sink-'));
    // smtp-sink started as root runs as nobody, who writes the dumps.
    chmodSync(dir, 0o777);
    const sink = new SmtpSink(await freePort(), dir);
    await sink.launch(options);
    return sink;
  }

  /** Starts smtp-sink again on the same port and dump folder (after it quit, or was stopped). */
  async restart(options: SinkOptions = {}): Promise<void> {
    await this.stop();
    await this.launch(options);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Every transaction dumped so far. */
  transactions(): DumpedTransaction[] {
    return readdirSync(this.dir)
      .sort()
      .map((name) => parseDump(readFileSync(join(this.dir, name), 'utf8')));
  }

  /** How many times each recipient received a message. */
  deliveries(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const t of this.transactions()) for (const r of t.recipients) counts.set(r, (counts.get(r) ?? 0) + 1);
    return counts;
  }

  /** Forgets the dumps so far. */
  clear(): void {
    for (const name of readdirSync(this.dir)) rmSync(join(this.dir, name));
  }

  private async launch(options: SinkOptions): Promise<void> {
    const args = ['-u', 'nobody', '-m', '256'];
    if (options.dump !== false) args.push('-d', join(this.dir, '%Y%m%d%H%M%S.'));
    const child = spawn(SMTP_SINK, [...args, `127.0.0.1:${this.port}`, '256'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
    this.child = child;
    const greeting = async (): Promise<boolean> => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`smtp-sink exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
      return greets(this.port);
    };
    await waitUntil(greeting, () => `smtp-sink answering on port ${this.port}: ${stderr}`);
  }
}

/** smtp-sink's dump: X-Mail-Args, X-Rcpt-Args..., its own three-line Received header, then the message. */
function parseDump(text: string): DumpedTransaction {
  const lines = text.split('\n');
  const recipients: string[] = [];
  let sender = '';
  let index = 0;
  for (; index < lines.length && !lines[index]?.startsWith('Received: '); index++) {
    const line = lines[index] as string;
    if (line.startsWith('X-Mail-Args: ')) sender = /<([^>]*)>/.exec(line)?.[1] ?? '';
    if (line.startsWith('X-Rcpt-Args: ')) recipients.push((/<([^>]*)>/.exec(line)?.[1] ?? '').toLowerCase());
  }
  index++;
  while (index < lines.length && /^[ \t]/.test(lines[index] as string)) index++;
  // smtp-sink ends each dump with an empty line of its own.
  return { sender, recipients, message: lines.slice(index, -2).join('\n') };
}

/** Whether an SMTP server greets on the port. */
function greets(port: number): Promise<boolean> {
  return answers(port, (data) => data.toString().startsWith('220'));
}
