import { AutolistError } from '../errors.js';

/** The relay could not be reached, or answered a temporary failure: the message is tried again later. */
export class RelayUnavailableError extends AutolistError {
  readonly code = 'RELAY_UNAVAILABLE';
  readonly temporary = true;
}

/** Some members were refused for now (4xx) even after another try: the message is tried again later. */
export class RelayDeferredError extends AutolistError {
  readonly code = 'RELAY_DEFERRED';
  readonly temporary = true;
}

/** The relay refused the whole message for good (5xx to MAIL FROM or DATA): its reply is passed on. */
export class RelayRefusedError extends AutolistError {
  readonly code = 'RELAY_REFUSED';
  readonly temporary = false;
}

/** A batch could not be written to the outbox folder (disk full, no permission). */
export class OutboxWriteError extends AutolistError {
  readonly code = 'OUTBOX_WRITE_FAILED';
  readonly temporary = true;
}

/** The record of what earlier tries of a message delivered cannot be read or written: nothing is sent. */
export class RelayStateError extends AutolistError {
  readonly code = 'RELAY_STATE_UNAVAILABLE';
  readonly temporary = true;
}
