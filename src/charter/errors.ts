import { AutolistError } from '../errors.js';
import type { Language } from '../i18n/index.js';
import { type CharterMessage, formatCharterMessage } from './messages.js';
import type { Position } from './syntax.js';
import type { ParseFailure } from './family.js';

/**
 * One thing wrong with a charter, at file:line:column: its message's key and values (stable, for
 * machines, and for words in any language), and `message`, those words in English.
 */
export interface Diagnostic extends CharterMessage {
  file: string;
  line: number;
  col: number;
  message: string;
}

export function diagnostic(file: string, at: Position, problem: CharterMessage): Diagnostic {
  return { file, line: at.line, col: at.col, ...problem, message: formatCharterMessage('en', problem) };
}

/** `file:line:col: message`, the message in `language`. */
export function formatDiagnostic(d: Diagnostic, language: Language = 'en'): string {
  return `${d.file}:${d.line}:${d.col}: ${formatCharterMessage(language, d)}`;
}

/** A charter that does not compile: every diagnostic found, each with its place. */
export class CharterError extends AutolistError {
  readonly code = 'CHARTER_INVALID';
  readonly temporary = false;
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), diagnostics: this.diagnostics };
  }
}

/** An address that cannot be a list address at all (empty, no domain, too long). */
export class AddressInvalidError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'ADDRESS_INVALID';
  readonly temporary = false;
}

/** The domain is not one that any family serves. */
export class UnknownDomainError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'UNKNOWN_DOMAIN';
  readonly temporary = false;
  constructor(
    readonly domain: string,
    /** The domains the families serve: for the site's own tools, not for outsiders (an SMTP reply leaves them out). */
    readonly served: readonly string[] = [],
  ) {
    super(`no list family serves the domain ${domain}${served.length > 0 ? ` (domains served: ${served.join(', ')})` : ''}`);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), domain: this.domain, served: this.served };
  }
}

/** The address is in a served domain but names no list: where it goes wrong, and close valid names. */
export class NoSuchListError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'NO_SUCH_LIST';
  readonly temporary = false;
  #suggest: () => string[];
  #suggestions: string[] | undefined;

  constructor(
    readonly address: string,
    readonly reason: string,
    readonly column: number,
    readonly expected: string[],
    suggest: () => string[],
    /**
     * The family whose reading went furthest, and how it failed: for the reason in the family's
     * language; `readings`, every family of the domain whose reading went as far, each with its failure.
     */
    readonly failure: { family: string; local: string; failure: ParseFailure; readings?: Array<{ family: string; failure: ParseFailure }> },
  ) {
    super(`no such list ${address}: ${reason}`);
    this.#suggest = suggest;
  }

  /** Up to three valid addresses close to this one; worked out on first use (it parses many candidates). */
  get suggestions(): string[] {
    this.#suggestions ??= this.#suggest();
    return this.#suggestions;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), address: this.address, column: this.column, expected: this.expected, suggestions: this.suggestions };
  }
}

/** Two families, or two readings of one charter, give the address different meanings. */
export class AmbiguousListError extends AutolistError {
  readonly code = 'LIST_AMBIGUOUS';
  readonly temporary = false;
}

/** A local part longer than the configured cap (AUTOLIST_LOCAL_PART_MAX, 64 octets by default as in RFC 5321). */
export class AddressTooLongError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'ADDRESS_TOO_LONG';
  readonly temporary = false;
  constructor(
    readonly octets: number,
    readonly max: number,
  ) {
    super(`no list has a name this long: the part before @ is ${octets} octets, at most ${max}`);
  }
}

/**
 * An address whose reading by a family's grammar would take more parser work than the budget allows
 * (a grammar that reads some names in very many ways): refused rather than read.
 */
export class AddressTooComplexError extends AutolistError {
  protected static override readonly withStack = false;
  readonly code = 'ADDRESS_TOO_COMPLEX';
  readonly temporary = false;
  constructor(
    readonly family: string,
    readonly budget: number,
  ) {
    super(`the name is too complex to read in the family ${family}: its charter reads some names in too many ways`);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), family: this.family, budget: this.budget };
  }
}
