import { format } from 'node:util';
import pino, { type Logger } from 'pino';

export type { Logger };

/** The service's logger: JSON, one line per event. Commands of the CLI log to standard error. */
export function createLogger(level: string, destination: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino({ level, base: { service: 'autolist' } }, pino.destination(destination === 'stdout' ? 1 : 2));
}

/** The most of a library's console line kept in the log event. */
const CONSOLE_TEXT_MAX = 1_000;

/**
 * What libraries print on standard output (console.log, info, debug) goes through the logger, at
 * debug level: standard output stays one JSON event a line, and a sender who can make a library
 * print (mailauth prints a DKIM signature whose l= tag exceeds the body) cannot fill the log.
 */
export function routeConsoleToLog(logger: Logger): void {
  const toLog = (...args: unknown[]): void => {
    if (logger.isLevelEnabled('debug')) logger.debug({ text: format(...args).slice(0, CONSOLE_TEXT_MAX) }, 'a library wrote to the console');
  };
  console.log = toLog;
  console.info = toLog;
  console.debug = toLog;
}
