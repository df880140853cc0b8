import { countStoreError, type StoreOperation } from '../../metrics/store-errors.js';
import { StoreUnavailableError } from '../redis-connection.js';

/** The typed error for a failed Redis command (what could not be done, and Redis's reason), counted once in autolist_store_errors_total. */
export function unavailable(error: unknown, what: string, operation: StoreOperation): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error;
  countStoreError(operation);
  return new StoreUnavailableError(`${what}: ${(error as Error).message}`, { cause: error });
}
