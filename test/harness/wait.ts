/** Waiting for what a test cannot be told of: a peer that answers, a log line, a count that is reached. */

/**
 * How long what the tests wait for may take before the run counts as broken: a bound for a hang on
 * a shared, noisy machine, never a measure of speed.
 */
export const WAIT_BOUND_MS = 15_000;

export interface WaitOptions {
  /** Default WAIT_BOUND_MS. */
  withinMs?: number;
  /** Between two checks; default 25 ms. */
  everyMs?: number;
}

/**
 * Checks until `check` holds (an error it throws ends the wait at once); past the bound, throws an
 * error naming what was awaited (`what` is called then, so that it can show the latest output).
 */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string | (() => string), options: WaitOptions = {}): Promise<void> {
  const withinMs = options.withinMs ?? WAIT_BOUND_MS;
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 25));
  }
}
