/**
 * A small file system of its own (tmpfs, mounted by the tests, which run as root) for faults of
 * autolist's own disk: filled to its last block and emptied again, made read-only and writable again
 * (a read-only mount refuses root too, where permission bits would not). Unmounted by dispose, or when
 * the process exits first.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FILLER = '.filler';
const CHUNK = Buffer.alloc(65_536, 'x');

export class SmallDisk {
  private readonly onExit = (): void => this.unmount();
  private mounted = true;

  private constructor(readonly dir: string) {
    process.on('exit', this.onExit);
  }

  /** A tmpfs of `kib` KiB, mounted on a new folder, or on `at` (created when missing). */
  static mount(kib: number, at?: string): SmallDisk {
    const dir = at ?? mkdtempSync(join(tmpdir(), 'autolist-disk-'));
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k,mode=0755`, 'tmpfs', dir]);
    return new SmallDisk(dir);
  }

  /** Writes a file until the disk refuses a byte more (ENOSPC). */
  fill(): void {
    const fd = openSync(join(this.dir, FILLER), 'a');
    try {
      for (let size = CHUNK.length; size > 0; ) {
        try {
          writeSync(fd, CHUNK, 0, size);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          size >>= 1;
        }
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Removes what fill() wrote. */
  empty(): void {
    rmSync(join(this.dir, FILLER), { force: true });
  }

  /** Remounts read-only (refused while a file on it is open for writing). */
  readOnly(): void {
    execFileSync('mount', ['-o', 'remount,ro', this.dir]);
  }

  writable(): void {
    execFileSync('mount', ['-o', 'remount,rw', this.dir]);
  }

  dispose(): void {
    this.unmount();
    process.off('exit', this.onExit);
  }

  private unmount(): void {
    if (!this.mounted) return;
    this.mounted = false;
    // Lazily: a process killed a moment ago may still hold a file open on it.
    execFileSync('umount', ['-l', this.dir]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
