import { parseArgs, type ParseArgsConfig } from 'node:util';
import { NoSuchListError } from '../charter/errors.js';
import { AutolistError } from '../errors.js';
import { errorText, say } from './messages.js';

/** Exit codes: 0 done, 1 the input is wrong (an address, a charter), 2 the command line is wrong, 3 a held message was already decided. */
export const EXIT = { ok: 0, input: 1, usage: 2, decided: 3, temporary: 75 } as const;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

export class UsageError extends AutolistError {
  readonly code = 'USAGE';
  readonly temporary = false;
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Parses a command's arguments; `--help` is understood by every command. */
export function parseCommandArgs(command: Command, args: string[]): { values: Record<string, string | boolean | undefined>; positionals: string[]; help: boolean } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals, help: values.help === true };
  } catch (error) {
    throw new UsageError(parseArgsText(error as Error & { code?: string }));
  }
}

/** node's parseArgs errors in the command line's words: an unknown option, a missing value (else node's own text). */
function parseArgsText(error: Error & { code?: string }): string {
  const option = /'([^' ]+)/.exec(error.message)?.[1] ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return say('usage.unknown-option', { option });
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && error.message.includes('argument missing')) return say('usage.option-value', { option });
  return error.message;
}

/** Reads a whole-number option. */
export function integerOption(value: string | boolean | undefined, name: string, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 1) throw new UsageError(say('usage.whole-number', { option: name }));
  return n;
}

/**
 * Reports an AutolistError the way every command does (JSON with --json; else the message in the
 * command line's language, close valid names for a list that does not exist, a hint for a
 * dependency that is down) and gives the exit code. Anything else is a bug: it is thrown again.
 * `address` is the list address the command was given, as given.
 */
export function reportError(command: string, error: unknown, json: boolean, address?: string): number {
  if (!(error instanceof AutolistError)) throw error;
  if (json) out(JSON.stringify(error.toJSON(), null, 2));
  else {
    err(`autolist ${command}: ${errorText(error, address)}`);
    if (error instanceof NoSuchListError && error.suggestions.length > 0) err(say('error.suggestions', { addresses: error.suggestions.join(', ') }));
    if (error.temporary) err(say('error.temporary'));
  }
  return error.temporary ? EXIT.temporary : EXIT.input;
}
