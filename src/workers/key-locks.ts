/**
 * The supervisor's table of keys held by workers: a key is held by one worker at a time, the others
 * asking for it wait in line. It serves the tries of a message (its delivery key): two SMTP workers
 * receiving the same message (a client retrying while its first try is still under way) send it one
 * after the other, the second reading what the first did. A worker that dies lets go of its keys.
 */
export class KeyLocks<Holder> {
  private readonly held = new Map<string, { holder: Holder; waiting: Array<{ holder: Holder; grant: () => void }> }>();

  /** Grants the key to `holder` now or once the holders before it let go (`grant` is called then). */
  acquire(key: string, holder: Holder, grant: () => void): void {
    const entry = this.held.get(key);
    if (entry === undefined) {
      this.held.set(key, { holder, waiting: [] });
      grant();
    } else {
      entry.waiting.push({ holder, grant });
    }
  }

  /** `holder` lets go of the key: the next in line has it. */
  release(key: string, holder: Holder): void {
    const entry = this.held.get(key);
    if (entry?.holder !== holder) return;
    const next = entry.waiting.shift();
    if (next === undefined) {
      this.held.delete(key);
      return;
    }
    entry.holder = next.holder;
    next.grant();
  }

  /** A holder gone: its keys go to the next in line, and it waits for none. */
  forget(holder: Holder): void {
    for (const [key, entry] of [...this.held]) {
      entry.waiting = entry.waiting.filter((w) => w.holder !== holder);
      if (entry.holder === holder) this.release(key, holder);
    }
  }

  /** Keys held now. */
  get size(): number {
    return this.held.size;
  }
}
