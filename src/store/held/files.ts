import { randomBytes } from 'node:crypto';
import { HELD_ID, newHeldId } from './id.js';
import { link, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { storageError } from '../../errors.js';
import { syncDirectory } from '../../disk/sync-directory.js';
import { HeldFullError, HeldNotFoundError, HeldWriteError } from './errors.js';
import type { DecideOutcome, HeldDecision, HeldMessage, HeldStore, NewHeldMessage } from './types.js';

type Exclusive = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/** What ID.json holds: the message's envelope and times; the message itself is ID.eml beside it. */
interface Meta {
  list: string;
  sender: string;
  heldAt: string;
  expiresAt: string;
  moderators: string[];
}

/**
 * Held messages in a folder of the relay's state (AUTOLIST_RELAY_STATE_DIR/held): ID.eml and
 * ID.json, each written whole, synced and renamed into place; a decision is ID.decision.json,
 * linked into place so that only the first one can be (link(2) fails on an existing name); ID.settled
 * once what it called for was done. Processes of one machine share the folder; `exclusive` is the
 * supervisor's lock of `autolist serve`'s workers.
 */
export class FileHeldStore implements HeldStore {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly lock: Exclusive,
  ) {}

  async hold(message: NewHeldMessage): Promise<HeldMessage> {
    const id = newHeldId();
    const meta: Meta = { list: message.list, sender: message.sender, heldAt: message.heldAt.toISOString(), expiresAt: message.expiresAt.toISOString(), moderators: message.moderators };
    await this.writing(async () => {
      await this.writeWhole(`${id}.eml`, message.raw);
      // The metadata last: a message is held once ID.json names it.
      await this.writeWhole(`${id}.json`, Buffer.from(JSON.stringify(meta)));
      await syncDirectory(this.dir);
    });
    return { ...message, id, state: 'held', settled: false };
  }

  async get(id: string): Promise<HeldMessage | undefined> {
    if (!HELD_ID.test(id)) return undefined;
    const meta = await readOrNothing(join(this.dir, `${id}.json`));
    if (meta === undefined) return undefined;
    const raw = await readOrNothing(join(this.dir, `${id}.eml`));
    if (raw === undefined) return undefined;
    const parsed = JSON.parse(meta.toString('utf8')) as Meta;
    const decisionText = await readOrNothing(join(this.dir, `${id}.decision.json`));
    const settled = (await readOrNothing(join(this.dir, `${id}.settled`))) !== undefined;
    const base = { id, list: parsed.list, sender: parsed.sender, raw, heldAt: new Date(parsed.heldAt), expiresAt: new Date(parsed.expiresAt), moderators: parsed.moderators, settled };
    if (decisionText === undefined) return { ...base, state: 'held' };
    const decision = JSON.parse(decisionText.toString('utf8')) as Omit<HeldDecision, 'at'> & { at: string };
    return { ...base, state: decision.state, decision: { ...decision, at: new Date(decision.at) } };
  }

  async waiting(list?: string): Promise<HeldMessage[]> {
    const all = await this.all();
    return all.filter((m) => m.state === 'held' && (list === undefined || m.list === list)).sort((a, b) => a.heldAt.getTime() - b.heldAt.getTime());
  }

  async decide(id: string, decision: HeldDecision): Promise<DecideOutcome> {
    if ((await this.get(id)) === undefined) throw new HeldNotFoundError(`no held message ${id}`);
    const temporary = `${id}.decision.${randomBytes(6).toString('hex')}.tmp`;
    let won = true;
    await this.writing(async () => {
      await this.writeFile(temporary, Buffer.from(JSON.stringify({ ...decision, at: decision.at.toISOString() })));
      try {
        await link(join(this.dir, temporary), join(this.dir, `${id}.decision.json`));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        won = false;
      } finally {
        await unlink(join(this.dir, temporary)).catch(() => undefined);
      }
      await syncDirectory(this.dir);
    });
    const message = await this.get(id);
    if (message === undefined) throw new HeldNotFoundError(`no held message ${id}`);
    return { won, message };
  }

  async settle(id: string): Promise<void> {
    await this.writing(async () => {
      await this.writeFile(`${id}.settled`, Buffer.alloc(0), 'wx').catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      await syncDirectory(this.dir);
    });
  }

  async due(now: Date): Promise<string[]> {
    const all = await this.all();
    return all.filter((m) => (m.state === 'held' ? m.expiresAt <= now : !m.settled || m.expiresAt <= now)).map((m) => m.id);
  }

  async remove(id: string): Promise<void> {
    if (!HELD_ID.test(id)) return;
    // ID.json first: without it the message is gone, whatever else is left.
    for (const name of [`${id}.json`, `${id}.eml`, `${id}.decision.json`, `${id}.settled`]) await unlink(join(this.dir, name)).catch(() => undefined);
  }

  exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    return this.lock(`held:${name}`, work);
  }

  private async all(): Promise<HeldMessage[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const ids = names.filter((n) => n.endsWith('.json') && !n.endsWith('.decision.json')).map((n) => n.slice(0, -'.json'.length));
    const messages = await Promise.all(ids.map((id) => this.get(id)));
    return messages.filter((m): m is HeldMessage => m !== undefined);
  }

  /** Runs a write, the folder made first; a failure is a typed storage error (full disk: 452 at SMTP). */
  private async writing(work: () => Promise<void>): Promise<void> {
    try {
      this.ready ??= mkdir(this.dir, { recursive: true }).then(() => undefined);
      await this.ready;
      await work();
    } catch (error) {
      this.ready = undefined;
      throw storageError(error, HeldFullError, HeldWriteError, 'cannot write a held message');
    }
  }

  /** A file written whole under a temporary name, synced, then renamed into place. */
  private async writeWhole(name: string, data: Buffer): Promise<void> {
    const temporary = `${name}.${randomBytes(6).toString('hex')}.tmp`;
    await this.writeFile(temporary, data);
    await rename(join(this.dir, temporary), join(this.dir, name));
  }

  private async writeFile(name: string, data: Buffer, flags = 'w'): Promise<void> {
    const handle = await open(join(this.dir, name), flags);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

async function readOrNothing(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
