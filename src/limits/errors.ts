import { AutolistError } from '../errors.js';

/** A client past its rate: it may ask again after `retryAfterSeconds` (the HTTP front's 429). */
export class RateLimitedError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'RATE_LIMITED';
  readonly temporary = true;

  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests: slow down and try again in ${retryAfterSeconds} s`);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfter: this.retryAfterSeconds };
  }
}
