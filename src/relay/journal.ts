import { constants } from 'node:fs';
import { mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../log.js';
import { CompactSet } from './compact-set.js';
import { CompletedLog } from './completed-log.js';
import { RelayStateError } from './errors.js';
import { syncDirectory } from './sync-directory.js';

/** Each line of a partial record is on disk when its write returns (O_DSYNC). */
const { O_APPEND, O_CREAT, O_DSYNC, O_RDWR, O_WRONLY } = constants;
const EXISTING = O_RDWR | O_APPEND | O_DSYNC;
const CREATED = O_CREAT | O_WRONLY | O_APPEND | O_DSYNC;

/** A partial record is KEY.jsonl. */
const RECORD = '.jsonl';

/** How often records past their age are looked for, besides at start. */
const SWEEP_INTERVAL_MS = 3_600_000;

/** Tries are named KEY-STARTED-N: STARTED (this process's start) keeps the names of a restarted process apart. */
const STARTED = Date.now().toString(36);
let tries = 0;

/** One line of a partial record: what the relay did with one batch. */
interface Line {
  at: string;
  list: string;
  accepted: readonly string[];
  bounced: readonly string[];
}

/**
 * What the tries of each message (its delivery key: sender, list, Message-ID and content hash) did,
 * in RELAY_STATE_DIR, so that a try after a 451 or a restart goes only to the members no earlier try
 * reached, and a message that reached everyone goes to nobody again, within RETRY_WINDOW of the
 * try that completed it: the same message sent later is a new one (a daily report of the same text).
 * The records:
 *  - partial/KEY.jsonl: a message not yet delivered to everyone; one JSON line per batch handed over
 *    (the members the relay accepted, and those it refused for good), on disk before the answer;
 *  - completed/: the keys of the messages that reached every member (CompletedLog).
 * Records are removed once their last try is older than RELAY_DELIVERED_TTL, at start and every hour.
 * Memory holds the completed keys (8 bytes each), the keys of the partial records and, during a
 * try, what earlier tries reached.
 */
export class DeliveryJournal {
  private readonly completed: CompletedLog;
  private readonly partialDir: string;
  /** The messages with a partial record: a message without one is read from nowhere. */
  private readonly partial = new Set<string>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    dir: string,
    private readonly ttlMs: number,
    /** How long after it reached everyone a message sent again is a retry of it (then sent to nobody); at most ttlMs. */
    private readonly windowMs: number,
    private readonly logger: Logger,
  ) {
    this.completed = new CompletedLog(join(dir, 'completed'), ttlMs);
    this.partialDir = join(dir, 'partial');
  }

  /** Loads the completed keys and removes the records past their age; throws when the folder cannot be written. */
  async start(): Promise<void> {
    await mkdir(this.partialDir, { recursive: true });
    await this.completed.load();
    await this.sweep();
    for (const name of await readdir(this.partialDir)) if (name.endsWith(RECORD)) this.partial.add(name.slice(0, -RECORD.length));
    this.sweeper = setInterval(() => {
      this.sweep().catch((error: unknown) => this.logger.warn({ err: error }, 'cannot remove old delivery records'));
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await this.completed.close();
  }

  /** Removes the records whose last try is older than the TTL; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    let removed = await this.completed.sweep(now);
    for (const name of await readdir(this.partialDir)) {
      const file = join(this.partialDir, name);
      const expired = await stat(file).then(
        (s) => now - s.mtimeMs > this.ttlMs,
        () => false,
      );
      if (!expired || !(await rm(file, { force: true }).then(() => true, () => false))) continue;
      this.partial.delete(name.slice(0, -RECORD.length));
      removed++;
    }
    return removed;
  }

  /**
   * Begins a try of the message, reading back what earlier tries did. With `writeThrough` (a
   * message of several batches) each batch's line is written as it comes; otherwise only when the
   * try ends without reaching everyone. Throws a RelayStateError when the record cannot be read:
   * nothing is sent then. A message that reached everyone longer than the retry window ago counts for
   * nothing: sent again, it goes out again.
   */
  async begin(key: string, list: string, writeThrough: boolean): Promise<MessageTry> {
    const now = Date.now();
    const file = join(this.partialDir, `${key}${RECORD}`);
    const onError = (error: unknown, what: string): void => this.logger.error({ err: error, record: file }, what);
    const id = `${key}-${STARTED}-${(++tries).toString(36)}`;
    const parts = { id, key, list, file, completed: this.completed, partial: this.partial, writeThrough, onError };
    const completedAt = this.completed.completedAt(key);
    if (completedAt !== undefined && now - completedAt <= this.windowMs) return new MessageTry({ ...parts, reached: 'everyone', completedAt: new Date(completedAt) });
    if (!this.partial.has(key)) return new MessageTry({ ...parts, reached: CompactSet.of([]) });
    let handle: FileHandle | undefined;
    try {
      handle = await open(file, EXISTING);
      const { mtimeMs } = await handle.stat();
      // A message answered 451 is retried for days (Postfix: up to 5): its partial record counts until the TTL.
      const expired = now - mtimeMs > this.ttlMs;
      if (expired) await handle.truncate(0);
      const reached = expired ? CompactSet.of([]) : reachedIn(await handle.readFile('utf8'));
      return new MessageTry({ ...parts, reached, handle });
    } catch (error) {
      await handle?.close().catch(() => undefined);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // Removed meanwhile (past its age): no earlier try counts.
        this.partial.delete(key);
        return new MessageTry({ ...parts, reached: CompactSet.of([]) });
      }
      throw new RelayStateError(`the delivery record ${file} cannot be read: ${(error as Error).message}`, { cause: error });
    }
  }
}

interface TryParts {
  id: string;
  key: string;
  list: string;
  file: string;
  completed: CompletedLog;
  /** The keys of the partial records, kept up to date. */
  partial: Set<string>;
  writeThrough: boolean;
  reached: CompactSet | 'everyone';
  /** With reached 'everyone': when the earlier try reached everyone. */
  completedAt?: Date;
  handle?: FileHandle;
  onError: (error: unknown, what: string) => void;
}

/** One try of a message: what earlier tries reached, and the record of this one. */
export class MessageTry {
  /** The name of this try, unique: the batches it writes are named after it. */
  readonly id: string;
  private handle: FileHandle | undefined;
  private readonly held: Line[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly parts: TryParts) {
    this.id = parts.id;
    this.handle = parts.handle;
  }

  /** When an earlier try reached everyone (this one then sends nothing), or undefined. */
  get completedAt(): Date | undefined {
    return this.parts.completedAt;
  }

  /** The recipients no earlier try reached. */
  pending(recipients: readonly string[]): readonly string[] {
    const { reached } = this.parts;
    if (reached === 'everyone') return [];
    return reached.size === 0 ? recipients : recipients.filter((r) => !reached.has(r));
  }

  /** Records what the relay did with one batch: written at once with writeThrough (or once the record exists), else held until the try ends. */
  record(accepted: readonly string[], bounced: readonly string[]): Promise<void> {
    if (accepted.length === 0 && bounced.length === 0) return this.writing;
    this.held.push({ at: new Date().toISOString(), list: this.parts.list, accepted, bounced });
    return this.parts.writeThrough || this.handle !== undefined ? this.writeHeld() : this.writing;
  }

  /**
   * Ends the try, before the client gets its answer: a message that reached everyone goes to the
   * completed keys and its partial record is removed; otherwise what this try did is on disk. A
   * failure to write is logged and does not change the answer: the members were reached, only a
   * later try could send them a second copy.
   */
  async finish(reachedEveryone: boolean): Promise<void> {
    if (this.parts.reached === 'everyone') return;
    try {
      if (!reachedEveryone) return await this.writeHeld();
      await this.writing;
      await this.parts.completed.add(this.parts.key);
      if (this.handle !== undefined) {
        await rm(this.parts.file, { force: true });
        this.parts.partial.delete(this.parts.key);
      }
    } catch (error) {
      this.parts.onError(error, 'cannot record the delivered members');
    } finally {
      await this.handle?.close().catch((error: unknown) => this.parts.onError(error, 'cannot close the delivery record'));
    }
  }

  /** Appends the lines held so far, one write after the other. */
  private writeHeld(): Promise<void> {
    this.writing = this.writing
      .then(async () => {
        if (this.held.length === 0) return;
        if (this.handle === undefined) {
          this.handle = await open(this.parts.file, CREATED);
          await syncDirectory(dirname(this.parts.file));
          this.parts.partial.add(this.parts.key);
        }
        await this.handle.appendFile(this.held.splice(0).map((line) => `${JSON.stringify(line)}\n`).join(''));
      })
      .catch((error: unknown) => this.parts.onError(error, 'cannot record the delivered members'));
    return this.writing;
  }
}

/** The members the lines of a record reached; a line cut short by a crash is skipped. */
function reachedIn(text: string): CompactSet {
  const reached: string[] = [];
  for (const row of text.split('\n')) {
    if (row === '') continue;
    try {
      const line = JSON.parse(row) as Partial<Line>;
      for (const address of [...(line.accepted ?? []), ...(line.bounced ?? [])]) reached.push(address);
    } catch {
      // the last line, cut short when the process stopped
    }
  }
  return CompactSet.of(reached);
}
