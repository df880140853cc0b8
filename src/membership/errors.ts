import { AutolistError } from '../errors.js';

/** A page cursor this service did not hand out for this list (or that was altered). */
export class BadCursorError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'MEMBERSHIP_BAD_CURSOR';
  readonly temporary = false;
}

/** A page size that is not a whole number within bounds. */
export class BadPageLimitError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'MEMBERSHIP_BAD_LIMIT';
  readonly temporary = false;
}

/**
 * A directory search failed with an error that is not an AutolistError (the directory promises typed
 * errors, so this is a defect or an unforeseen failure). Temporary: infrastructure trouble must defer
 * mail, never bounce it.
 */
export class UnexpectedDirectoryError extends AutolistError {
  readonly code = 'MEMBERSHIP_DIRECTORY_UNEXPECTED';
  readonly temporary = true;
  constructor(cause: unknown) {
    super(`the directory search failed unexpectedly: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
