import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { storageError } from '../../errors.js';
import { OptStoreError, OptStoreFullError } from './errors.js';
import { MAX_PENDING_PER_LIST, type OptEntry, type OptRecord, type PendingRequest, pendingKey } from './record.js';

/** One list's file: its choices by address, its requests waiting for confirmation by action and address. */
interface ListFile {
  list: string;
  entries: Record<string, OptEntry>;
  pending: Record<string, PendingRequest>;
}

/** Runs work while no other process sharing the folder runs work under the same key (the supervisor's lock for `autolist serve`'s workers). */
export type Exclusive = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/**
 * The exclusions and additions in files under the state folder (RELAY_STATE_DIR/opt), one small JSON
 * file a list, read afresh on every call (so that each worker and `autolist overrides` see the
 * others' changes at once) and replaced whole on change (written aside, then renamed into place).
 */
export class FileOptRecord implements OptRecord {
  private readonly dir: string;

  constructor(
    stateDir: string,
    private readonly exclusive: Exclusive,
  ) {
    this.dir = join(stateDir, 'opt');
  }

  async entries(list: string): Promise<OptEntry[]> {
    return Object.values((await this.read(list)).entries);
  }

  put(entry: OptEntry): Promise<void> {
    return this.change(entry.list, (file) => {
      file.entries[entry.address] = entry;
    });
  }

  async remove(list: string, address: string): Promise<OptEntry | undefined> {
    let removed: OptEntry | undefined;
    await this.change(list, (file) => {
      removed = file.entries[address];
      delete file.entries[address];
      return removed !== undefined;
    });
    return removed;
  }

  propose(request: PendingRequest): Promise<void> {
    return this.change(request.list, (file) => {
      const now = Date.now();
      for (const [key, pending] of Object.entries(file.pending)) if (pending.expiresAt <= now) delete file.pending[key];
      file.pending[pendingKey(request.address, request.action)] = request;
      const waiting = Object.entries(file.pending);
      // Bounded: past the cap, the requests closest to expiring go first.
      if (waiting.length > MAX_PENDING_PER_LIST) {
        waiting.sort(([, a], [, b]) => a.expiresAt - b.expiresAt);
        for (const [key] of waiting.slice(0, waiting.length - MAX_PENDING_PER_LIST)) delete file.pending[key];
      }
    });
  }

  async consume(list: string, address: string, action: PendingRequest['action'], nonce: string): Promise<boolean> {
    let consumed = false;
    await this.change(list, (file) => {
      const key = pendingKey(address, action);
      const pending = file.pending[key];
      consumed = pending !== undefined && pending.nonce === nonce && pending.expiresAt > Date.now();
      if (consumed) delete file.pending[key];
      return consumed;
    });
    return consumed;
  }

  private fileOf(list: string): string {
    return join(this.dir, `${createHash('sha256').update(list).digest('hex').slice(0, 32)}.json`);
  }

  private async read(list: string): Promise<ListFile> {
    try {
      return JSON.parse(await readFile(this.fileOf(list), 'utf8')) as ListFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { list, entries: {}, pending: {} };
      throw storageError(error, OptStoreFullError, OptStoreError, `the exclusions and additions of ${list} cannot be read`);
    }
  }

  /** Reads, edits (an edit returning false changed nothing) and writes the list's file, one change of a list at a time. */
  private change(list: string, edit: (file: ListFile) => boolean | undefined): Promise<void> {
    return this.exclusive(`opt:${list}`, async () => {
      const file = await this.read(list);
      if (edit(file) === false) return;
      const target = this.fileOf(list);
      const aside = `${target}.${randomBytes(6).toString('hex')}`;
      try {
        await mkdir(this.dir, { recursive: true });
        await writeFile(aside, JSON.stringify(file), { flush: true });
        await rename(aside, target);
      } catch (error) {
        await rm(aside, { force: true });
        throw storageError(error, OptStoreFullError, OptStoreError, `the exclusions and additions of ${list} cannot be written`);
      }
    });
  }
}
