import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { storageError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { BouncesFullError, BouncesWriteError } from './errors.js';
import type { BounceRecord, NewBounce } from './record.js';
import { BounceTally, MAX_ADDRESSES, parseBounce, type BounceEvent, type BounceQuery, type BouncedAddress } from './tally.js';

/**
 * The bounces counted in memory and appended to a file (BOUNCES_FILE, one JSON line per bounce) that
 * `autolist bounces` reads; the other workers of `autolist serve` are told of each. Opening it
 * rewrites the file compactly when it holds far more lines than addresses.
 */
export class FileBounceRecord implements BounceRecord {
  private out: WriteStream | undefined;
  /** The last write to the file failed: logged once, until a write succeeds again. */
  private failing = false;

  private constructor(
    private readonly file: string,
    private readonly tally: BounceTally,
    private readonly logger: Logger,
    private readonly onRecorded: (bounce: BounceEvent) => void,
  ) {}

  /**
   * Reads the file's tally. With `compact` (the default) a file holding far more lines than addresses
   * is rewritten: only by a process that no other writes to meanwhile. `onRecorded` hears of each bounce recorded.
   */
  static async open(file: string, logger: Logger, options: { compact?: boolean; onRecorded?: (bounce: BounceEvent) => void } = {}): Promise<FileBounceRecord> {
    await mkdir(dirname(file), { recursive: true });
    const { tally, lines } = await readTally(file);
    const record = new FileBounceRecord(file, tally, logger, options.onRecorded ?? (() => {}));
    if ((options.compact ?? true) && lines > 2 * tally.size + 1000) await record.compact();
    return record;
  }

  /**
   * Records a bounce of the relay: counted at once, its line appended to the file. A line that cannot
   * be written stays counted in memory and is logged, once until the file can be written again: a
   * bounce never fails the delivery it came from.
   */
  record(event: NewBounce): void {
    const line: BounceEvent = { at: new Date().toISOString(), ...event };
    this.tally.add(line);
    this.write(`${JSON.stringify(line)}\n`).catch((error: unknown) => {
      if (this.failing) return;
      this.failing = true;
      this.logger.error({ err: error, file: this.file }, 'bounces cannot be written to their file; they are counted in memory meanwhile');
    });
    this.onRecorded(line);
  }

  /**
   * Records the bounces a delivery status notification reports once their lines are in the file
   * (written, not synced); when they cannot be, counts none and throws a BouncesWriteError
   * (BouncesFullError when the disk is full): the notification is answered 4xx and sent again.
   */
  async recordReported(events: readonly NewBounce[]): Promise<void> {
    const at = new Date().toISOString();
    const lines: BounceEvent[] = events.map((event) => ({ at, ...event }));
    try {
      await this.write(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    } catch (error) {
      this.failing = true;
      throw storageError(error, BouncesFullError, BouncesWriteError, `the bounces cannot be written to ${this.file}`);
    }
    for (const line of lines) {
      this.tally.add(line);
      this.onRecorded(line);
    }
  }

  /** Counts a bounce that another process recorded in the file. */
  count(bounce: BounceEvent): void {
    this.tally.add(bounce);
  }

  query(query: BounceQuery): { total: number; addresses: BouncedAddress[] } {
    return this.tally.query(query);
  }

  async close(): Promise<void> {
    const out = this.out;
    this.out = undefined;
    if (out) await new Promise<void>((resolve) => out.end(resolve));
  }

  /** Appends to the file; resolves once written. After a failure the next write opens the file again. */
  private write(text: string): Promise<void> {
    const out = (this.out ??= this.openFile());
    return new Promise((resolve, reject) =>
      out.write(text, (error) => {
        if (error) {
          if (this.out === out) this.out = undefined;
          return reject(error);
        }
        if (this.failing) {
          this.failing = false;
          this.logger.info({ file: this.file }, 'bounces written to their file again');
        }
        resolve();
      }),
    );
  }

  private openFile(): WriteStream {
    const out = createWriteStream(this.file, { flags: 'a' });
    // Each write's callback hears of the failure: listened to so that it never goes unhandled.
    out.on('error', () => {
      if (this.out === out) this.out = undefined;
    });
    return out;
  }

  private async compact(): Promise<void> {
    const temporary = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, [...this.tally.compacted()].map((e) => `${JSON.stringify(e)}\n`).join(''));
      await rename(temporary, this.file);
    } catch (error) {
      await rm(temporary, { force: true });
      this.logger.warn({ err: error, file: this.file }, 'the bounces file could not be compacted');
    }
  }
}

/** The bounces recorded in a file (none if it does not exist); lines that do not parse are skipped. */
export async function readTally(file: string): Promise<{ tally: BounceTally; lines: number }> {
  const tally = new BounceTally(MAX_ADDRESSES);
  let lines = 0;
  const input = createReadStream(file, { encoding: 'utf8' });
  const opened = await new Promise<boolean>((resolve, reject) => {
    input.once('open', () => resolve(true));
    input.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve(false) : reject(error)));
  });
  if (!opened) return { tally, lines };
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    lines++;
    const event = parseBounce(line);
    if (event !== undefined) tally.add(event);
  }
  return { tally, lines };
}
