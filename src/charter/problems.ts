import { type Diagnostic, diagnostic } from './errors.js';
import type { CharterMessage } from './messages.js';
import type { Position } from './syntax.js';

/** An error that says what went wrong as a message (a filter's, a token class's), with where on its line. */
interface Explained {
  explanation: CharterMessage;
  offset?: number;
}

function isExplained(error: unknown): error is Error & Explained {
  return error instanceof Error && 'explanation' in error;
}

/** Collects a charter's diagnostics so that one check reports every mistake, not just the first. */
export class Problems {
  readonly list: Diagnostic[] = [];

  constructor(readonly file: string) {}

  add(at: Position, problem: CharterMessage, file = this.file): void {
    this.list.push(diagnostic(file, at, problem));
  }

  /**
   * Runs `work`; an error that explains itself becomes a problem (`within` puts its explanation in
   * context), placed at `at` plus its offset on the same line. Any other error is a fault: thrown.
   */
  guard<T>(at: Position, work: () => T, within: (problem: CharterMessage) => CharterMessage = (problem) => problem, file = this.file): T | undefined {
    try {
      return work();
    } catch (error) {
      if (!isExplained(error)) throw error;
      this.add({ line: at.line, col: at.col + (error.offset ?? 0) }, within(error.explanation), file);
      return undefined;
    }
  }
}
