import { StorageError, StorageFullError } from '../errors.js';
import { StoreUnavailableError } from './redis-connection.js';

/** The record of what the tries of a message delivered cannot be read or written (read-only, no permission, an I/O error): nothing more is sent. */
export class RelayStateError extends StorageError {
  readonly code = 'RELAY_STATE_UNAVAILABLE';
}

/** The delivery record's disk is full, or too full for the message's record: nothing more is sent. */
export class RelayStateFullError extends StorageFullError {
  readonly code = 'RELAY_STATE_FULL';
}

/** Whether the error is autolist's own state failing (its disk, or Redis not answering), as opposed to the directory. */
export function isStoreFailure(error: unknown): error is StorageError | StorageFullError | StoreUnavailableError {
  return error instanceof StorageError || error instanceof StorageFullError || error instanceof StoreUnavailableError;
}
