import { DirectoryTimeoutError } from '../directory/errors.js';
import type { Directory } from '../directory/directory.js';
import type { AutolistError } from '../errors.js';
import { type Store, StoreUnavailableError } from '../store/index.js';

/**
 * A dependency's health check as /readyz asks it: answered within `timeoutMs` whatever the
 * dependency does (a frozen server otherwise holds a probe for its own timeout), and one check at a
 * time: probes arriving while one runs share it, so that a frozen server never ties up more than
 * one connection however often it is probed.
 */
export class ReadinessCheck {
  private running: Promise<void> | undefined;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly timeoutMs: number,
    /** The error past the deadline. */
    private readonly late: (timeoutMs: number) => AutolistError,
  ) {}

  /** Resolves when the dependency answered; throws its typed error, or the `late` one past the deadline. */
  check(): Promise<void> {
    if (this.running === undefined) {
      const running = this.probe().finally(() => {
        if (this.running === running) this.running = undefined;
      });
      // Past the deadline the check goes on (bounded by the dependency's own timeouts) for the next probes to join.
      running.catch(() => undefined);
      this.running = running;
    }
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.late(this.timeoutMs)), this.timeoutMs);
    });
    return Promise.race([this.running, expired]).finally(() => clearTimeout(timer));
  }
}

/** The directory answers (its health check). */
export function directoryReadiness(directory: Directory, timeoutMs: number): ReadinessCheck {
  return new ReadinessCheck(
    () => directory.health(),
    timeoutMs,
    (ms) => new DirectoryTimeoutError(`directory readiness check: no answer within ${ms} ms`),
  );
}

/** The store answers (Redis a PING; local files always). */
export function storeReadiness(store: Store, timeoutMs: number): ReadinessCheck {
  return new ReadinessCheck(
    () => store.health(),
    timeoutMs,
    (ms) => new StoreUnavailableError(`store readiness check: no answer within ${ms} ms`),
  );
}
