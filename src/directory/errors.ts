import { AutolistError } from '../errors.js';

/**
 * A directory failed to answer a search completely. `temporary` errors (down, slow, busy, a limit
 * hit) must give a temporary answer upstream (4xx, 503); permanent ones are configuration faults
 * (bad credentials, a base that does not exist) that trying again will not fix.
 */
export abstract class DirectoryError extends AutolistError {
  /** The LDAP result code the server answered, when the error came from one. */
  readonly resultCode: number | undefined;

  constructor(message: string, options: { cause?: unknown; resultCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.resultCode = options.resultCode;
  }

  override toJSON(): Record<string, unknown> {
    return this.resultCode === undefined ? super.toJSON() : { ...super.toJSON(), resultCode: this.resultCode };
  }
}

/** No server could be reached, or the connection dropped during the search. */
export class DirectoryUnavailableError extends DirectoryError {
  readonly code = 'DIRECTORY_UNAVAILABLE';
  readonly temporary = true;
}

/** The server did not answer within the operation timeout. */
export class DirectoryTimeoutError extends DirectoryError {
  readonly code = 'DIRECTORY_TIMEOUT';
  readonly temporary = true;
}

/** The server said it is busy or unwilling right now, or every pooled connection stayed in use. */
export class DirectoryBusyError extends DirectoryError {
  readonly code = 'DIRECTORY_BUSY';
  readonly temporary = true;
}

/** The answer would exceed a size or time limit (ours or the server's): it is refused, never truncated. */
export class DirectoryLimitExceededError extends DirectoryError {
  readonly code = 'DIRECTORY_LIMIT_EXCEEDED';
  readonly temporary = true;
}

/** A failure autolist does not classify further; temporary, so that it can never turn into a bounce. */
export class DirectoryFailedError extends DirectoryError {
  readonly code = 'DIRECTORY_ERROR';
  readonly temporary = true;
}

/** The server rejected the filter (or the embedded directory cannot evaluate it). */
export class DirectoryBadFilterError extends DirectoryError {
  readonly code = 'DIRECTORY_BAD_FILTER';
  readonly temporary = false;
}

/** The search base names no entry. */
export class DirectoryNoSuchBaseError extends DirectoryError {
  readonly code = 'DIRECTORY_NO_SUCH_BASE';
  readonly temporary = false;
}

/** The bind DN or password was refused. */
export class DirectoryBadCredentialsError extends DirectoryError {
  readonly code = 'DIRECTORY_BAD_CREDENTIALS';
  readonly temporary = false;
}

/**
 * The server refuses this client for a lasting reason: insufficient access, TLS or a stronger
 * authentication required, a control (paged results) it does not support.
 */
export class DirectoryRefusedError extends DirectoryError {
  readonly code = 'DIRECTORY_REFUSED';
  readonly temporary = false;
}

/**
 * A server's TLS certificate does not verify: not issued by a CA autolist trusts (LDAP_CA_FILE),
 * expired, or not for the host in LDAP_URL. Trying again will not help until the CA file or the
 * server's certificate is changed.
 */
export class DirectoryCertificateError extends DirectoryError {
  readonly code = 'DIRECTORY_CERTIFICATE';
  readonly temporary = false;
}

/** The embedded directory's LDIF file cannot be read or is malformed; `line` is 1-based. */
export class DirectoryDataError extends DirectoryError {
  readonly code = 'DIRECTORY_DATA_INVALID';
  readonly temporary = false;

  constructor(
    readonly file: string,
    readonly line: number | undefined,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`, options);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), file: this.file, line: this.line };
  }
}
