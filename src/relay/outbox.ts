import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Batch, BatchOutcome, BatchSender } from './delivery.js';
import { OutboxWriteError } from './errors.js';

/**
 * Without a relay: each batch is written to a folder as NAME.eml (the message) and NAME.json (the
 * envelope: sender and recipients), for another program to send. Each file appears whole (written
 * under a temporary dot-name, then renamed), the envelope last: a NAME.json means its NAME.eml is complete.
 */
export class OutboxSender implements BatchSender {
  readonly name: string;

  constructor(private readonly dir: string) {
    this.name = `outbox ${dir}`;
  }

  async send(batch: Batch): Promise<BatchOutcome> {
    const envelope = { sender: batch.sender, recipients: batch.recipients, batch: batch.id, createdAt: new Date().toISOString() };
    try {
      await mkdir(this.dir, { recursive: true });
      await this.writeAtomically(`${batch.id}.eml`, batch.message);
      await this.writeAtomically(`${batch.id}.json`, `${JSON.stringify(envelope, null, 2)}\n`);
    } catch (error) {
      throw new OutboxWriteError(`cannot write the batch ${batch.id} to ${this.dir}: ${(error as Error).message}`, { cause: error });
    }
    return { accepted: batch.recipients, refused: [] };
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
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
