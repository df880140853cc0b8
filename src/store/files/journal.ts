import { constants, writeSync } from 'node:fs';
import { mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkRoom } from '../../disk/room.js';
import { syncDirectory } from '../../disk/sync-directory.js';
import { storageError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { CompactSet } from '../compact-set.js';
import type { DeliveryRecords, DeliveryTry, Exclusive } from '../deliveries.js';
import { RelayStateError, RelayStateFullError } from '../errors.js';
import { notReached, type Reached } from '../reached.js';
import { tryId } from '../try-id.js';
import { CompletedLog } from './completed-log.js';

/** Each line of a partial record is on disk when its write returns (O_DSYNC). */
const { O_APPEND, O_CREAT, O_DSYNC, O_RDWR, O_WRONLY } = constants;
const EXISTING = O_RDWR | O_APPEND | O_DSYNC;
const CREATED = O_CREAT | O_WRONLY | O_APPEND | O_DSYNC;

/** A partial record is KEY.jsonl. */
const RECORD = '.jsonl';

/** How often records past their age are looked for, besides at start. */
const SWEEP_INTERVAL_MS = 3_600_000;

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
 *    (the members the relay accepted, and those it refused for good), written as the relay's answer
 *    is read, on disk before the next batch and before the client's answer;
 *  - completed/: the keys of the messages that reached every member (CompletedLog).
 * Records are removed once their last try is older than RELAY_DELIVERED_TTL, at start and every hour.
 * Memory holds the completed keys (8 bytes each) and, during a try, what earlier tries reached.
 * Several processes may share the folder (autolist serve's SMTP workers, one try of a message at a
 * time, under the supervisor's lock): each try reads the records as they are on disk then.
 */
export class DeliveryJournal implements DeliveryRecords {
  private readonly completed: CompletedLog;
  private readonly partialDir: string;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    dir: string,
    private readonly ttlMs: number,
    /** How long after it reached everyone a message sent again is a retry of it (then sent to nobody); at most ttlMs. */
    private readonly windowMs: number,
    private readonly logger: Logger,
    /** The lock of a message among the processes sharing the folder: the supervisor's. */
    readonly exclusive: Exclusive,
  ) {
    this.completed = new CompletedLog(join(dir, 'completed'), ttlMs);
    this.partialDir = join(dir, 'partial');
  }

  /** Loads the completed keys and removes the records past their age; throws when the folder cannot be written. */
  async start(): Promise<void> {
    await mkdir(this.partialDir, { recursive: true });
    await this.completed.load();
    await this.sweep();
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
      if (
        !expired ||
        !(await rm(file, { force: true }).then(
          () => true,
          () => false,
        ))
      )
        continue;
      removed++;
    }
    return removed;
  }

  /**
   * Begins a try of the message, reading back what earlier tries did. With `writeThrough` (a
   * message of several batches) each batch's line is written as the relay answers; otherwise only
   * when the try ends without reaching everyone. Throws a RelayStateError when the record cannot be
   * opened: nothing is sent then. A message that reached everyone longer than the retry window ago
   * counts for nothing: sent again, it goes out again.
   */
  async begin(key: string, list: string, writeThrough: boolean): Promise<MessageTry> {
    const now = Date.now();
    const file = join(this.partialDir, `${key}${RECORD}`);
    const onError = (error: unknown, what: string): void => this.logger.error({ err: error, record: file }, what);
    const parts = { id: tryId(key), key, list, file, completed: this.completed, writeThrough, onError };
    // The record is opened while the completed keys are read: one wait for both, not one after the other.
    const opening = open(file, EXISTING).then(
      (handle) => ({ handle }),
      (error: unknown) => ({ error }),
    );
    const closeOpened = async (): Promise<void> => {
      const opened = await opening;
      if ('handle' in opened) await opened.handle.close().catch(() => undefined);
    };
    try {
      await this.completed.refresh(now);
    } catch (error) {
      await closeOpened();
      throw storageError(error, RelayStateFullError, RelayStateError, 'the completed deliveries cannot be read');
    }
    const completedAt = this.completed.completedAt(key);
    if (completedAt !== undefined && now - completedAt <= this.windowMs) {
      await closeOpened();
      return new MessageTry({ ...parts, reached: 'everyone', completedAt: new Date(completedAt) });
    }
    let handle: FileHandle | undefined;
    try {
      const opened = await opening;
      if ('error' in opened) throw opened.error;
      handle = opened.handle;
      const { mtimeMs } = await handle.stat();
      // A message answered 451 is retried for days (Postfix: up to 5): its partial record counts until the TTL.
      const expired = now - mtimeMs > this.ttlMs;
      if (expired) await handle.truncate(0);
      const text = expired ? '' : await handle.readFile('utf8');
      return new MessageTry({ ...parts, reached: reachedIn(text), handle, torn: text !== '' && !text.endsWith('\n') });
    } catch (error) {
      await handle?.close().catch(() => undefined);
      // No record (the usual case: a message tried for the first time), or removed meanwhile past its age: no earlier try counts.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new MessageTry({ ...parts, reached: CompactSet.of([]) });
      throw storageError(error, RelayStateFullError, RelayStateError, `the delivery record ${file} cannot be opened`);
    }
  }
}

interface TryParts {
  id: string;
  key: string;
  list: string;
  file: string;
  completed: CompletedLog;
  writeThrough: boolean;
  reached: Reached;
  /** With reached 'everyone': when the earlier try reached everyone. */
  completedAt?: Date;
  handle?: FileHandle;
  /** The record does not end with a line end (a write cut short). */
  torn?: boolean;
  onError: (error: unknown, what: string) => void;
}

/** What a line takes besides its addresses (time, list, names), and each address's quotes and comma. */
const LINE_BYTES = 100;
const ADDRESS_OVERHEAD = 3;
/** A completed key's line: 32 hex digits, a space, milliseconds and the line end, rounded up. */
const COMPLETED_LINE_BYTES = 64;

/**
 * One try of a message: what earlier tries reached, and the record of this one. Each batch's line is
 * written synchronously in the callback that reads the relay's answer (record), so that nothing
 * happens between the relay's 250 and the line on disk but that write: a process killed then
 * repeats at most the batches whose answer it was reading.
 */
export class MessageTry implements DeliveryTry {
  /** The name of this try, unique: the batches it writes are named after it. */
  readonly id: string;
  private handle: FileHandle | undefined;
  private readonly held: string[] = [];
  /** The last write may have stopped within a line: the next one starts on a new line. */
  private torn: boolean;

  constructor(private readonly parts: TryParts) {
    this.id = parts.id;
    this.handle = parts.handle;
    this.torn = parts.torn ?? false;
  }

  /** When an earlier try reached everyone (this one then sends nothing), or undefined. */
  get completedAt(): Date | undefined {
    return this.parts.completedAt;
  }

  /** The recipients no earlier try reached. */
  pending(recipients: readonly string[]): readonly string[] {
    return notReached(this.parts.reached, recipients);
  }

  /**
   * Before the first batch: checks that the record's folders take the lines of these batches and
   * the completed key (nothing is sent otherwise), and with writeThrough creates the record (its
   * folder synced), so that a batch's line is one write. Throws a RelayState(Full)Error.
   */
  async prepare(batches: ReadonlyArray<readonly string[]>): Promise<void> {
    const overhead = LINE_BYTES + this.parts.list.length;
    const bytes = batches.reduce((sum, batch) => sum + overhead + batch.reduce((n, address) => n + Buffer.byteLength(address) + ADDRESS_OVERHEAD, 0), 0);
    try {
      await Promise.all([checkRoom(dirname(this.parts.file), bytes), checkRoom(this.parts.completed.dir, COMPLETED_LINE_BYTES)]);
    } catch (error) {
      throw storageError(error, RelayStateFullError, RelayStateError, 'the delivery record cannot take the message');
    }
    if (this.parts.writeThrough && this.handle === undefined) await this.create();
  }

  /**
   * Records what the relay did with one batch, synchronously: once the record exists (writeThrough)
   * the line is on disk (O_DSYNC) when this returns; otherwise it is held until the try ends. Throws
   * a RelayState(Full)Error when the line cannot be written.
   */
  record(accepted: readonly string[], bounced: readonly string[]): void {
    if (accepted.length === 0 && bounced.length === 0) return;
    const line: Line = { at: new Date().toISOString(), list: this.parts.list, accepted, bounced };
    const text = `${JSON.stringify(line)}\n`;
    if (this.handle === undefined) this.held.push(text);
    else this.append(text);
  }

  /**
   * Ends a try that reached everyone, before the client gets its answer: the key goes to the
   * completed keys, then the partial record is removed. Throws a RelayState(Full)Error when the key
   * cannot be written: the client is answered 4xx, and its next try reads from the partial record
   * (when there is one) that nobody is left to send to.
   */
  async complete(): Promise<void> {
    if (this.parts.reached === 'everyone') return;
    try {
      await this.parts.completed.add(this.parts.key);
    } catch (error) {
      await this.close();
      throw storageError(error, RelayStateFullError, RelayStateError, `cannot record the message ${this.parts.key} as delivered to everyone`);
    }
    if (this.handle !== undefined) {
      await rm(this.parts.file, { force: true }).catch((error: unknown) =>
        this.parts.onError(error, 'cannot remove the partial record of a message delivered to everyone (removed once past its age)'),
      );
    }
    await this.close();
  }

  /**
   * Ends a try that did not reach everyone (it is answered 4xx): the lines held are written, so that
   * the next try skips the members this one reached; a failure to write them is logged.
   */
  async abandon(): Promise<void> {
    try {
      if (this.held.length > 0) {
        if (this.handle === undefined) await this.create();
        this.append(this.held.splice(0).join(''));
      }
    } catch (error) {
      this.parts.onError(error, 'cannot record the members this try reached: its next try sends them the message again');
    } finally {
      await this.close();
    }
  }

  private async create(): Promise<void> {
    try {
      this.handle = await open(this.parts.file, CREATED);
      await syncDirectory(dirname(this.parts.file));
    } catch (error) {
      throw storageError(error, RelayStateFullError, RelayStateError, `cannot create the delivery record ${this.parts.file}`);
    }
  }

  /** Appends whole, on disk when it returns; after a failure the next append starts a new line. */
  private append(text: string): void {
    const bytes = Buffer.from(this.torn ? `\n${text}` : text);
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync((this.handle as FileHandle).fd, bytes, written);
      this.torn = false;
    } catch (error) {
      this.torn = true;
      throw storageError(error, RelayStateFullError, RelayStateError, `cannot write to the delivery record ${this.parts.file}`);
    }
  }

  private async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch((error: unknown) => this.parts.onError(error, 'cannot close the delivery record'));
  }
}

/** The members the lines of a record reached; a line cut short by a crash or a full disk is skipped. */
function reachedIn(text: string): CompactSet {
  const reached: string[] = [];
  for (const row of text.split('\n')) {
    if (row === '') continue;
    try {
      const line = JSON.parse(row) as Partial<Line>;
      for (const address of [...(line.accepted ?? []), ...(line.bounced ?? [])]) reached.push(address);
    } catch {
      // a line cut short when the process stopped or the disk was full
    }
  }
  return CompactSet.of(reached);
}
