import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from '../../disk/sync-directory.js';
import { CompactSet } from '../compact-set.js';
import { KeyTimes } from './key-times.js';

const HOUR_MS = 3_600_000;
/** completed-YYYYMMDDHH.log, the hour (UTC) its keys were written in. */
const SEGMENT = /^completed-(\d{4})(\d{2})(\d{2})(\d{2})\.log$/;
/** Each write of keys is on disk when it returns (O_DSYNC): one wait for the disk, not a write then a sync. */
const { O_APPEND, O_CREAT, O_DSYNC, O_WRONLY } = constants;
const APPENDING = O_CREAT | O_WRONLY | O_APPEND | O_DSYNC;
/** What one read of the keys others added takes at most; more is read in further reads. */
const READ_CHUNK = 65_536;

/**
 * The messages that reached every member: their delivery keys and when, one `KEY MILLISECONDS` a
 * line, in a file per hour (completed-YYYYMMDDHH.log, UTC), each line written and synced before the
 * client gets its 250. Keys added while a write is under way go together in the next write and sync
 * (group commit), so that a busy front syncs once for many messages. In memory, the past hours are
 * compact (12 bytes a key), loaded at start; an hour is dropped, file and keys, once it is older
 * than the TTL. Several processes (autolist serve's SMTP workers) append to the same files: before
 * a key is looked up, refresh() reads what the others added since.
 */
export class CompletedLog {
  private readonly past = new Map<string, KeyTimes>();
  /** The hour being written and read; `torn` when its file may end within a line (a write cut short): the next write starts a new one. */
  private current: Segment | undefined;
  private queued: string[] = [];
  /** The write that takes the keys queued now, and the one under way. */
  private next: Promise<void> | undefined;
  private last: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly ttlMs: number,
  ) {}

  /** Reads the hours still kept, and removes the older ones. */
  async load(now = Date.now()): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const name of await readdir(this.dir)) {
      const start = startOf(name);
      if (start === undefined) continue;
      if (start + HOUR_MS + this.ttlMs < now) {
        await rm(join(this.dir, name), { force: true });
        continue;
      }
      const bytes = await readFile(join(this.dir, name));
      const whole = bytes.lastIndexOf(0x0a) + 1;
      const keys = entriesOf(bytes.toString('utf8', 0, whole), start);
      if (name === segmentOf(now)) this.current = { name, keys: new Map(keys), readOffset: whole, torn: whole < bytes.length };
      else this.past.set(name, KeyTimes.of(keys));
    }
  }

  /**
   * Reads the keys other processes wrote to the current hour since the last look (a stat when
   * there are none), and moves to a new hour when one began.
   */
  async refresh(now = Date.now()): Promise<void> {
    const current = this.current;
    if (current?.name === segmentOf(now)) {
      const size = await stat(join(this.dir, current.name)).then(
        (s) => s.size,
        () => 0,
      );
      if (size <= current.readOffset) return;
    }
    // In line with the writes: they too move to a new hour.
    const reading = this.last.then(async () => {
      await this.readNew(await this.hourOf(now));
    });
    this.last = reading.catch(() => undefined);
    await reading;
  }

  /** When the key was last written (milliseconds), or undefined when it is not kept. */
  completedAt(key: string): number | undefined {
    let latest = this.current?.keys.get(key);
    const hashed = CompactSet.hashOf(key);
    for (const keys of this.past.values()) {
      const at = keys.timeOfHash(hashed);
      if (at !== undefined && (latest === undefined || at > latest)) latest = at;
    }
    return latest;
  }

  /** Resolves once the key is on disk. */
  add(key: string): Promise<void> {
    this.queued.push(key);
    if (this.next === undefined) {
      const next = this.last.then(() => {
        this.next = undefined;
        return this.write(this.queued.splice(0));
      });
      this.next = next;
      this.last = next.catch(() => undefined);
    }
    return this.next;
  }

  /** Drops the hours older than the TTL; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const expired = (name: string): boolean => (startOf(name) as number) + HOUR_MS + this.ttlMs < now;
    const names = [...this.past.keys()].filter(expired);
    for (const name of names) this.past.delete(name);
    const current = this.current;
    if (current !== undefined && expired(current.name)) {
      // Between writes: a write takes a new hour anyway.
      await this.last;
      this.current = undefined;
      await closeSegment(current);
      names.push(current.name);
    }
    for (const name of names) await rm(join(this.dir, name), { force: true });
    return names.length;
  }

  async close(): Promise<void> {
    await this.last;
    if (this.current !== undefined) await closeSegment(this.current);
  }

  /** The segment of the hour `now` is in; when an hour ended, what was written to it to the end goes to the past hours. */
  private async hourOf(now: number): Promise<Segment> {
    const name = segmentOf(now);
    const ended = this.current;
    if (ended?.name === name) return ended;
    this.current = { name, keys: new Map(), readOffset: 0 };
    if (ended !== undefined) {
      await this.readNew(ended).catch(() => undefined);
      this.past.set(ended.name, KeyTimes.of(ended.keys));
      await closeSegment(ended);
    }
    return this.current;
  }

  /**
   * Adds the whole lines of the segment's file past what was read of it, read from a handle kept
   * open for the hour (one read when the others added less than a chunk, not an open, a stat, a
   * read and a close).
   */
  private async readNew(segment: Segment): Promise<void> {
    if (segment.reader === undefined) {
      try {
        segment.reader = await open(join(this.dir, segment.name), 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
    }
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_CHUNK);
      const { bytesRead } = await segment.reader.read(chunk, 0, chunk.length, segment.readOffset + length);
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (bytesRead < chunk.length) break;
    }
    const bytes = Buffer.concat(chunks, length);
    const whole = bytes.lastIndexOf(0x0a) + 1;
    for (const [key, at] of entriesOf(bytes.toString('utf8', 0, whole), startOf(segment.name) as number)) {
      if (at > (segment.keys.get(key) ?? 0)) segment.keys.set(key, at);
    }
    segment.readOffset += whole;
  }

  private async write(keys: string[]): Promise<void> {
    const current = await this.hourOf(Date.now());
    if (current.handle === undefined) {
      const handle = await open(join(this.dir, current.name), APPENDING);
      await syncDirectory(this.dir).catch(async (error: unknown) => {
        await handle.close().catch(() => undefined);
        throw error;
      });
      current.handle = handle;
    }
    const at = Date.now();
    const lines = keys.map((k) => `${k} ${at}\n`).join('');
    try {
      await current.handle.appendFile(current.torn ? `\n${lines}` : lines);
      current.torn = false;
    } catch (error) {
      current.torn = true;
      throw error;
    }
    for (const key of keys) current.keys.set(key, at);
  }
}

/** One hour's file: its keys (written by this process and, once read, by others), how far it was read, and its handles for writing and reading. */
interface Segment {
  name: string;
  keys: Map<string, number>;
  /** Bytes of the file whose keys are in `keys`: whole lines only. */
  readOffset: number;
  handle?: FileHandle;
  reader?: FileHandle;
  torn?: boolean;
}

/** Closes the hour's handles (once it ended or is dropped). */
async function closeSegment(segment: Segment): Promise<void> {
  const { handle, reader } = segment;
  segment.handle = undefined;
  segment.reader = undefined;
  await Promise.all([handle?.close(), reader?.close()]);
}

/** The [key, time] pairs of a segment's lines; a line without its time (an older format) counts from the segment's hour. */
function entriesOf(text: string, hourStart: number): [string, number][] {
  const entries: [string, number][] = [];
  for (const line of text.split('\n')) {
    const [key, at] = line.split(' ');
    if (key === undefined || key === '') continue;
    const time = Number(at);
    entries.push([key, at !== undefined && Number.isSafeInteger(time) ? time : hourStart]);
  }
  return entries;
}

function segmentOf(time: number): string {
  return `completed-${new Date(time).toISOString().slice(0, 13).replace(/[-T]/g, '')}.log`;
}

/** When the hour of a segment began, or undefined for another file. */
function startOf(name: string): number | undefined {
  const match = SEGMENT.exec(name);
  if (!match) return undefined;
  const [year, month, day, hour] = match.slice(1).map(Number) as [number, number, number, number];
  return Date.UTC(year, month - 1, day, hour);
}
