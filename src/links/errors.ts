import { AutolistError } from '../errors.js';

/** A token that autolist did not sign, signed for another purpose, or altered. */
export class TokenInvalidError extends AutolistError {
  readonly code = 'TOKEN_INVALID';
  readonly temporary = false;
  protected static override readonly withStack = false;

  constructor() {
    super('this link or token is not valid');
  }
}

/** A token autolist signed whose time is over. */
export class TokenExpiredError extends AutolistError {
  readonly code = 'TOKEN_EXPIRED';
  readonly temporary = false;
  protected static override readonly withStack = false;

  constructor(readonly expiredAt: Date) {
    super(`this link or token expired on ${expiredAt.toISOString()}`);
  }
}
