import { AutolistError } from '../errors.js';

/** The family's lists are not for address books: its charter does not say `public yes`. */
export class FamilyNotPublicError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'FAMILY_NOT_PUBLIC';
  readonly temporary = false;

  constructor(readonly family: string) {
    super(`the family ${family} is not public: its charter must say "public yes" for its lists to be exported`);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), family: this.family };
  }
}

/** An export that would examine more names, or read more directory values, than its limit allows. */
export class ExportTooLargeError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'EXPORT_TOO_LARGE';
  readonly temporary = false;

  constructor(
    message: string,
    readonly limit: number,
  ) {
    super(message);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limit: this.limit };
  }
}

/** The base under which lists are exported is not a distinguished name (RFC 4514). */
export class ExportBadBaseError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'EXPORT_BAD_BASE';
  readonly temporary = false;

  constructor(readonly base: string) {
    super(`"${base.slice(0, 200)}" is not a distinguished name (RFC 4514), such as ou=lists,dc=example,dc=org`);
  }
}
