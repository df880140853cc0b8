import { AutolistError } from '../errors.js';

/** An error of the HTTP front itself (no such family, missing token): its code names a problem type. */
export class HttpError extends AutolistError {
  protected static override readonly withStack = false;
  readonly temporary = false;

  constructor(
    readonly code: 'NO_SUCH_FAMILY' | 'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND',
    message: string,
    /** Extension members of the problem (RFC 9457 §3.2). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), ...this.extensions };
  }
}

/** A request that arrived while the server closes: try again (here once restarted, or elsewhere). */
export class ShuttingDownError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'SHUTTING_DOWN';
  readonly temporary = true;

  constructor() {
    super('the server is shutting down');
  }
}
