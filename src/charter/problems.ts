import type { Diagnostic } from './errors.js';
import type { Position } from './syntax.js';

/** Collects a charter's diagnostics so that one check reports every mistake, not just the first. */
export class Problems {
  readonly list: Diagnostic[] = [];

  constructor(readonly file: string) {}

  add(at: Position, message: string, file = this.file): void {
    this.list.push({ file, line: at.line, col: at.col, message });
  }

  /** Runs `work`; an exception with an offset is placed at `at` plus that offset on the same line. */
  guard<T>(at: Position, work: () => T, prefix = '', file = this.file): T | undefined {
    try {
      return work();
    } catch (error) {
      const offset = (error as { offset?: number }).offset ?? 0;
      this.add({ line: at.line, col: at.col + offset }, prefix + (error as Error).message, file);
      return undefined;
    }
  }
}
