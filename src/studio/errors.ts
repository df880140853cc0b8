import { AutolistError } from '../errors.js';

/** A version of a family the studio kept that is not (or no longer) there. */
export class NoSuchVersionError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'STUDIO_NO_SUCH_VERSION';
  readonly temporary = false;

  constructor(
    readonly family: string,
    readonly version: string,
  ) {
    super(`the family ${family} has no kept version ${version}`);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), family: this.family, version: this.version };
  }
}

/** Another install of the same family took its place while this one was being written: nothing of this one was put in place. */
export class InstallConflictError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'STUDIO_INSTALL_CONFLICT';
  readonly temporary = true;

  constructor(readonly family: string) {
    super(`the family ${family} was being installed by another request at the same time; install again`);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), family: this.family };
  }
}
