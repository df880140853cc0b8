import type { Logger } from '../../log.js';

/** A write to Redis that may be done again (it states a fact, or deletes what is still one's own). */
export type Settling = () => Promise<void>;

/**
 * The writes a try could not make because Redis did not answer: the members it reached, the lock it
 * holds. They are made in order, per message, before this process tries that message again (settle),
 * and by a timer meanwhile (settleAll), so that a try elsewhere reads who was reached once Redis is
 * back. Held in memory: a process that stops first loses them, and their members may get the
 * message again.
 */
export class Unsettled {
  private readonly writes = new Map<string, Settling[]>();

  constructor(private readonly logger: Logger) {}

  add(key: string, write: Settling): void {
    const writes = this.writes.get(key);
    if (writes === undefined) this.writes.set(key, [write]);
    else writes.push(write);
  }

  has(key: string): boolean {
    return this.writes.has(key);
  }

  /**
   * Makes the message's writes, in order; throws the first failure, the writes not made kept. Two
   * settles of one message at once may both make a write (each may be done again), never skip one.
   */
  async settle(key: string): Promise<void> {
    const writes = this.writes.get(key);
    if (writes === undefined) return;
    for (let write = writes[0]; write !== undefined; write = writes[0]) {
      await write();
      const index = writes.indexOf(write);
      if (index >= 0) writes.splice(index, 1);
    }
    if (this.writes.get(key) === writes) this.writes.delete(key);
  }

  /** Makes every message's writes, until one fails (Redis still away); returns how many messages still have some. */
  async settleAll(): Promise<number> {
    for (const key of [...this.writes.keys()]) {
      try {
        await this.settle(key);
      } catch (error) {
        this.logger.debug({ err: error, key }, 'Redis still cannot take what a try reached');
        break;
      }
    }
    return this.writes.size;
  }
}
