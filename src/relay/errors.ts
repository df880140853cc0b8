import { AutolistError, StorageError, StorageFullError } from '../errors.js';

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

/** A batch could not be written to the outbox folder (read-only, no permission, an I/O error): nothing more is written. */
export class OutboxWriteError extends StorageError {
  readonly code = 'OUTBOX_WRITE_FAILED';
}

/** The outbox folder's disk is full, or too full for the message's batches: nothing more is written. */
export class OutboxFullError extends StorageFullError {
  readonly code = 'OUTBOX_FULL';
}
