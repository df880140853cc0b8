import { DirectoryTimeoutError } from './errors.js';

/**
 * Waits for `operation` at most `ms` milliseconds. On expiry, `abort` runs (it drops the connection,
 * which also ends the operation) and a DirectoryTimeoutError is thrown.
 */
export function withDeadline<T>(operation: Promise<T>, ms: number, what: string, abort: () => void): Promise<T> {
  // The operation may still reject after the deadline (its connection was dropped): that is expected.
  operation.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort();
      reject(new DirectoryTimeoutError(`${what}: no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([operation, expired]).finally(() => clearTimeout(timer));
}
