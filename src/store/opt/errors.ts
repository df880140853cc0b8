import { StorageError, StorageFullError } from '../../errors.js';

/** The exclusions and additions cannot be read or written on disk (read-only, no permission, an I/O error). */
export class OptStoreError extends StorageError {
  readonly code = 'OPT_STORE_UNAVAILABLE';
}

/** The disk of the exclusions and additions is full. */
export class OptStoreFullError extends StorageFullError {
  readonly code = 'OPT_STORE_FULL';
}
