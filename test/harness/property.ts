import assert from 'node:assert/strict';
import fc from 'fast-check';

export interface Bounds {
  /** Runs wanted: chosen so that the property takes a second or two. */
  numRuns: number;
  /**
   * Runs below which the property proves too little: reached long before the time cap on any
   * machine, so a slow machine does not fail the test, but a property that stopped early does.
   */
  minRuns?: number;
  /** The time cap, so that a slow machine or a slow input cannot hang the suite (default 15 s). */
  timeLimitMs?: number;
}

/**
 * fc.assert bounded in time: stops after `timeLimitMs` instead of running on, fails on a
 * counter-example as fc.assert does, and fails when fewer than `minRuns` inputs were tried (a
 * property that checked almost nothing must not pass).
 */
export function holds<T>(property: fc.IProperty<T>, bounds: Bounds): void {
  fc.assert(property, { numRuns: bounds.numRuns, interruptAfterTimeLimit: bounds.timeLimitMs ?? 15_000, reporter: (details) => judge(details, bounds) });
}

/** holds, for an asynchronous property. */
export async function holdsAsync<T>(property: fc.IAsyncProperty<T>, bounds: Bounds): Promise<void> {
  await fc.assert(property, { numRuns: bounds.numRuns, interruptAfterTimeLimit: bounds.timeLimitMs ?? 15_000, reporter: (details) => judge(details, bounds) });
}

function judge<T>(details: fc.RunDetails<T>, bounds: Bounds): void {
  if (details.failed) {
    const failure = details.errorInstance;
    throw new Error(`${fc.defaultReportMessage(details)}\nGot ${failure instanceof Error ? failure.message : String(failure)}`, { cause: failure });
  }
  const min = bounds.minRuns ?? Math.min(bounds.numRuns, 50);
  assert.ok(details.numRuns >= min, `only ${details.numRuns} runs before the time limit, fewer than ${min}`);
}
