import { withDeadline } from '../directory/deadline.js';
import type { Directory } from '../directory/directory.js';

/**
 * The directory's health check as /readyz asks it: answered within `timeoutMs` whatever the
 * directory does (a frozen server otherwise holds a probe for LDAP_TIMEOUT_MS), and one check at a
 * time: probes arriving while one runs share it, so that a frozen directory never ties up more than
 * one pooled connection however often it is probed.
 */
export class ReadinessCheck {
  private running: Promise<void> | undefined;

  constructor(
    private readonly directory: Directory,
    private readonly timeoutMs: number,
  ) {}

  /** Resolves when the directory answered; throws its typed error, or DirectoryTimeoutError past the deadline. */
  check(): Promise<void> {
    if (this.running === undefined) {
      const running = this.directory.health().finally(() => {
        if (this.running === running) this.running = undefined;
      });
      this.running = running;
    }
    // Past the deadline the check goes on (bounded by the directory's own timeouts) for the next probes to join.
    return withDeadline(this.running, this.timeoutMs, 'directory readiness check', () => undefined);
  }
}
