import { AutolistError } from '../errors.js';
import type { HeldDecision } from '../store/held/index.js';

/** A decision on a held message that another took first: it says who, when and how. */
export class AlreadyDecidedError extends AutolistError {
  readonly code = 'ALREADY_DECIDED';
  readonly temporary = false;
  protected static override readonly withStack = false;

  constructor(
    readonly id: string,
    readonly decision: HeldDecision,
  ) {
    super(`the held message ${id} was already ${decision.state} by ${decision.by} at ${decision.at.toISOString()}`);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), id: this.id, state: this.decision.state, decidedBy: this.decision.by, decidedAt: this.decision.at.toISOString() };
  }
}
