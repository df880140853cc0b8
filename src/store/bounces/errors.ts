import { StorageError, StorageFullError } from '../../errors.js';
import { StoreUnavailableError } from '../redis-connection.js';

/** The bounces a delivery status notification reports cannot be written to AUTOLIST_BOUNCES_FILE: the notification is refused for now. */
export class BouncesWriteError extends StorageError {
  readonly code = 'BOUNCES_WRITE_FAILED';
}

/** The bounces file's disk is full: the notification is refused for now. */
export class BouncesFullError extends StorageFullError {
  readonly code = 'BOUNCES_FULL';
}

/** Redis (REDIS_URL) cannot take the bounces a delivery status notification reports: the notification is refused for now. */
export class BouncesStoreError extends StoreUnavailableError {
  override readonly code = 'BOUNCES_STORE_UNAVAILABLE';
}
