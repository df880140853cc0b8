/** An operation that takes longer than this shows its progress on a terminal. */
const PROGRESS_AFTER_MS = 1000;
const PROGRESS_EVERY_MS = 250;

/**
 * Shows `what`, `status()` (the entries read so far, say) and the seconds spent on standard error
 * while `work` runs long, on a terminal only; the line is cleared once it is done.
 */
export async function withProgress<T>(what: string, status: () => string, work: Promise<T>): Promise<T> {
  if (!process.stderr.isTTY) return work;
  const started = Date.now();
  let shown = false;
  const timer = setInterval(() => {
    const elapsed = Date.now() - started;
    if (elapsed < PROGRESS_AFTER_MS) return;
    shown = true;
    process.stderr.write(`\r${what}… ${status()}, ${(elapsed / 1000).toFixed(1)} s\x1b[K`);
  }, PROGRESS_EVERY_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    if (shown) process.stderr.write('\r\x1b[K');
  }
}

export const COUNT = new Intl.NumberFormat('en-US');
