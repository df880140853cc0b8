import { StoreUnavailableError } from '../redis-connection.js';

/** The typed error for a failed Redis command: what could not be done, and Redis's reason. */
export function unavailable(error: unknown, what: string): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error;
  return new StoreUnavailableError(`${what}: ${(error as Error).message}`, { cause: error });
}
