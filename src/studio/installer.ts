import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readFamilyFiles } from '../charter/load.js';
import { syncDirectory } from '../disk/sync-directory.js';
import { InstallConflictError, NoSuchVersionError } from './errors.js';

/** Under the families folder: the versions each install replaced, `.history/NAME/VERSION/`. Dot folders are no families. */
export const HISTORY_DIR = '.history';
/** Under the families folder: where an install writes a family before it is renamed into place. */
export const STAGING_DIR = '.staging';
/** Versions kept per family; older ones are removed as new ones come. */
export const VERSIONS_KEPT = 50;

/** A version's name: when it was replaced, `2025-03-14T09-26-53.589Z`, and a count when two fall in one millisecond. */
const VERSION = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z(-\d+)?$/;

/**
 * Writes families into the families folder as the studio installs them. A family is written whole
 * in a staging folder, synced, then renamed into place, so that a reader of the folder (a reload,
 * `autolist check`) sees the previous family or the new one, never part of one; the folder it
 * replaces is moved under `.history/NAME/` first, where it can be restored from.
 */
export class FamilyInstaller {
  /** Installs of one family in this process, one after the other. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(readonly familiesDir: string) {}

  /** The family's files as its folder holds them (charter and lexicons), or undefined when there is no such folder. */
  current(name: string): Record<string, string> | undefined {
    return filesOf(join(this.familiesDir, name));
  }

  /** The kept versions of a family, newest first. */
  async versions(name: string): Promise<string[]> {
    try {
      return (await readdir(this.historyOf(name))).filter((v) => VERSION.test(v)).sort(byAge);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** The files of a kept version; NoSuchVersionError when it is not kept. */
  version(name: string, version: string): Record<string, string> {
    const files = VERSION.test(version) ? filesOf(join(this.historyOf(name), version)) : undefined;
    if (files === undefined) throw new NoSuchVersionError(name, version);
    return files;
  }

  /**
   * Puts these files in place as the family's folder; the folder they replace becomes a kept
   * version, whose name is returned (null when the family is new). Compile them first: this writes
   * what it is given.
   */
  async install(name: string, files: Readonly<Record<string, string>>): Promise<{ replaced: string | null }> {
    return this.serially(name, async () => {
      const staged = await this.stage(name, files);
      try {
        const replaced = await this.swap(name, staged);
        await syncDirectory(this.familiesDir);
        if (replaced !== null) await syncDirectory(this.historyOf(name));
        await this.prune(name);
        return { replaced };
      } finally {
        await rm(staged, { recursive: true, force: true });
      }
    });
  }

  /**
   * Takes an install back (its family did not go into service): the folder it put in place goes,
   * and the version it replaced comes back in its place.
   */
  async undo(name: string, replaced: string | null): Promise<void> {
    return this.serially(name, async () => {
      const target = join(this.familiesDir, name);
      const gone = join(this.familiesDir, STAGING_DIR, `${name}-undone-${randomBytes(6).toString('hex')}`);
      await rename(target, gone);
      if (replaced !== null) await rename(join(this.historyOf(name), replaced), target);
      await syncDirectory(this.familiesDir);
      await rm(gone, { recursive: true, force: true });
    });
  }

  private historyOf(name: string): string {
    return join(this.familiesDir, HISTORY_DIR, name);
  }

  private serially<T>(name: string, work: () => Promise<T>): Promise<T> {
    const before = this.queues.get(name) ?? Promise.resolve();
    const done = before.then(work, work);
    const settled = done.catch(() => undefined);
    this.queues.set(name, settled);
    void settled.then(() => {
      if (this.queues.get(name) === settled) this.queues.delete(name);
    });
    return done;
  }

  /** The files written and synced in a fresh staging folder, returned. */
  private async stage(name: string, files: Readonly<Record<string, string>>): Promise<string> {
    const staging = join(this.familiesDir, STAGING_DIR);
    await mkdir(staging, { recursive: true });
    const dir = join(staging, `${name}-${randomBytes(6).toString('hex')}`);
    await mkdir(dir);
    try {
      for (const [file, text] of Object.entries(files)) {
        const handle = await open(join(dir, file), 'wx');
        try {
          await handle.writeFile(text, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      await syncDirectory(dir);
      return dir;
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Moves the family's folder, if there is one, under its history, and the staged one in its place:
   * two renames one after the other, with no turn of the event loop between them (a reader of the
   * folder finds no family only for that instant). The replaced version's name, or null.
   */
  private async swap(name: string, staged: string): Promise<string | null> {
    const target = join(this.familiesDir, name);
    const history = this.historyOf(name);
    await mkdir(history, { recursive: true });
    const stamp = new Date().toISOString().replaceAll(':', '-');
    const taken = new Set(await readdir(history));
    let version: string | null = stamp;
    for (let n = 2; taken.has(version); n++) version = `${stamp}-${n}`;
    try {
      renameSync(target, join(history, version));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      version = null;
    }
    try {
      renameSync(staged, target);
    } catch (error) {
      // Another process put a folder there since ours was moved away: theirs stays, ours goes.
      if (['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw new InstallConflictError(name);
      throw error;
    }
    return version;
  }

  /** Removes the oldest versions past VERSIONS_KEPT. */
  private async prune(name: string): Promise<void> {
    for (const old of (await this.versions(name)).slice(VERSIONS_KEPT)) await rm(join(this.historyOf(name), old), { recursive: true, force: true });
  }
}

/** Newest first: the names are times, compared as numbers where a count follows. */
function byAge(a: string, b: string): number {
  const [stampA = '', countA = '1'] = a.split(/-(?=\d+$)/);
  const [stampB = '', countB = '1'] = b.split(/-(?=\d+$)/);
  return stampA === stampB ? Number(countB) - Number(countA) : stampA < stampB ? 1 : -1;
}

/** A family folder's files, or undefined when there is no such folder. */
function filesOf(dir: string): Record<string, string> | undefined {
  try {
    return readFamilyFiles(dir);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}
