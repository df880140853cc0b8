import { AutolistError, StorageError, StorageFullError } from '../../errors.js';
import { StoreUnavailableError } from '../redis-connection.js';

/** No held message has this id (never held, or forgotten once decided and expired). */
export class HeldNotFoundError extends AutolistError {
  readonly code = 'HELD_NOT_FOUND';
  readonly temporary = false;
}

/** A held message cannot be written to the relay's state folder: the message is refused for now. */
export class HeldWriteError extends StorageError {
  readonly code = 'HELD_WRITE_FAILED';
}

/** The state folder's disk is full: the message to hold is refused for now. */
export class HeldFullError extends StorageFullError {
  readonly code = 'HELD_FULL';
}

/** Redis (REDIS_URL) cannot keep or read held messages now. */
export class HeldStoreError extends StoreUnavailableError {
  override readonly code = 'HELD_STORE_UNAVAILABLE';
}
