/**
 * The root of autolist's typed errors. `code` is stable (fronts map it to HTTP problem types and
 * SMTP replies); `temporary` says whether trying again later may succeed (a directory that is down)
 * or not (an address that names no list).
 */
export abstract class AutolistError extends Error {
  abstract readonly code: string;
  abstract readonly temporary: boolean;

  /**
   * Errors that describe bad input (an address naming no list) are frequent and expected: they
   * skip the stack trace, which costs more than the rest of a resolution.
   */
  protected static readonly withStack: boolean = true;

  constructor(message: string, options?: { cause?: unknown }) {
    const limit = Error.stackTraceLimit;
    if (!(new.target as unknown as typeof AutolistError).withStack) Error.stackTraceLimit = 0;
    super(message, options);
    Error.stackTraceLimit = limit;
    this.name = new.target.name;
  }

  /** A plain object for JSON output (CLI --json, HTTP problem details). */
  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, temporary: this.temporary };
  }
}

/** A front cannot listen where configured (the port is taken, the address is not this host's). */
export class ListenError extends AutolistError {
  readonly code = 'LISTEN_FAILED';
  readonly temporary = true;

  constructor(front: string, host: string, port: number, cause: unknown) {
    super(`the ${front} cannot listen on ${host}:${port}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
}

/** autolist's own disk is full (ENOSPC, EDQUOT): what needed it is refused for now, and tried again. */
export abstract class StorageFullError extends AutolistError {
  readonly temporary = true;
}

/** autolist's own disk cannot be written or read (read-only, no permission, an I/O error): what needed it is refused for now. */
export abstract class StorageError extends AutolistError {
  readonly temporary = true;
}

type StorageErrorClass<T> = new (message: string, options?: { cause?: unknown }) => T;

/** The typed error for a failed file operation: `full` when the disk is full, else `other`. */
export function storageError(error: unknown, full: StorageErrorClass<StorageFullError>, other: StorageErrorClass<StorageError>, what: string): StorageFullError | StorageError {
  const { code } = error as NodeJS.ErrnoException;
  const kind = code === 'ENOSPC' || code === 'EDQUOT' ? full : other;
  return new kind(`${what}: ${(error as Error).message}`, { cause: error });
}
