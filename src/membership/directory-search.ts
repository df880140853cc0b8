import type { Directory, Entry, SearchRequest } from '../directory/directory.js';
import { AutolistError } from '../errors.js';
import { secondsSince } from '../metrics/recorders.js';
import { UnexpectedDirectoryError } from './errors.js';
import type { Counters } from './stats.js';

/**
 * One directory search, counted, and timed from its start to its last entry read, its failure, or
 * the caller leaving it (`timed`). Typed failures pass through as they are; anything else becomes a
 * temporary UnexpectedDirectoryError, so that an untyped failure can never turn into a bounce.
 */
export async function* searchDirectory(directory: Directory, request: SearchRequest, counters: Counters, timed?: (seconds: number) => void): AsyncGenerator<Entry> {
  counters.searches++;
  const started = process.hrtime.bigint();
  try {
    yield* directory.search(request);
  } catch (error) {
    counters.errors++;
    throw error instanceof AutolistError ? error : new UnexpectedDirectoryError(error);
  } finally {
    timed?.(secondsSince(started));
  }
}
