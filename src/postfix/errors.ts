import { AutolistError } from '../errors.js';

/** A peer broke the protocol (malformed or oversized input): the connection is closed, nothing answered. */
export class PostfixProtocolError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'POSTFIX_PROTOCOL';
  readonly temporary = false;
}
