import type { Directory, Entry, SearchRequest } from '../directory/directory.js';
import { AutolistError } from '../errors.js';
import { UnexpectedDirectoryError } from './errors.js';
import type { Counters } from './stats.js';

/**
 * One directory search, counted. Typed failures pass through as they are; anything else becomes a
 * temporary UnexpectedDirectoryError, so that an untyped failure can never turn into a bounce.
 */
export async function* searchDirectory(directory: Directory, request: SearchRequest, counters: Counters): AsyncGenerator<Entry> {
  counters.searches++;
  try {
    yield* directory.search(request);
  } catch (error) {
    counters.errors++;
    throw error instanceof AutolistError ? error : new UnexpectedDirectoryError(error);
  }
}
