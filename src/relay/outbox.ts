import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkRoom } from '../disk/room.js';
import { syncDirectory } from '../disk/sync-directory.js';
import { storageError } from '../errors.js';
import type { Batch, BatchOutcome, BatchSender, RecordOutcome } from './delivery.js';
import { OutboxFullError, OutboxWriteError } from './errors.js';

/** What a batch's envelope file takes besides its addresses (names, dates, JSON), and each address's quotes and indent. */
const ENVELOPE_BYTES = 300;
const ADDRESS_OVERHEAD = 8;

/**
 * Without a relay: each batch is written to a folder as NAME.eml (the message) and NAME.json (the
 * envelope: sender and recipients), for another program to send. Each file appears whole (written
 * under a temporary dot-name, synced, then renamed), the envelope last: a NAME.json means its
 * NAME.eml is complete. The folder is synced after the renames: the batch is on disk before it is
 * recorded as handed over.
 */
export class OutboxSender implements BatchSender {
  readonly name: string;

  constructor(private readonly dir: string) {
    this.name = `outbox ${dir}`;
  }

  async checkRoom(message: Buffer, batches: ReadonlyArray<readonly string[]>): Promise<void> {
    const addresses = batches.reduce((sum, batch) => sum + batch.reduce((bytes, address) => bytes + address.length + ADDRESS_OVERHEAD, 0), 0);
    try {
      await mkdir(this.dir, { recursive: true });
      await checkRoom(this.dir, batches.length * (message.length + ENVELOPE_BYTES) + addresses, 2 * batches.length);
    } catch (error) {
      throw storageError(error, OutboxFullError, OutboxWriteError, `the outbox ${this.dir} cannot take the message`);
    }
  }

  async send(batch: Batch, record: RecordOutcome): Promise<BatchOutcome> {
    const envelope = { sender: batch.sender, recipients: batch.recipients, batch: batch.id, createdAt: new Date().toISOString() };
    try {
      await mkdir(this.dir, { recursive: true });
      await this.writeAtomically(`${batch.id}.eml`, batch.message);
      await this.writeAtomically(`${batch.id}.json`, `${JSON.stringify(envelope, null, 2)}\n`).catch(async (error: unknown) => {
        // A message without its envelope would stay in the folder for nobody.
        await rm(join(this.dir, `${batch.id}.eml`), { force: true }).catch(() => undefined);
        throw error;
      });
      await syncDirectory(this.dir);
    } catch (error) {
      throw storageError(error, OutboxFullError, OutboxWriteError, `cannot write the batch ${batch.id} to ${this.dir}`);
    }
    const outcome = { accepted: batch.recipients, refused: [] };
    await record(outcome);
    return outcome;
  }

  async close(): Promise<void> {}

  private async writeAtomically(name: string, data: Buffer | string): Promise<void> {
    const temporary = join(this.dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const file = await open(temporary, 'wx');
      try {
        await file.writeFile(data);
        // On disk before the rename: once the client has its 250, the batch must survive a crash.
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, join(this.dir, name));
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  }
}
