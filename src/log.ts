import pino, { type Logger } from 'pino';

export type { Logger };

/** The service's logger: JSON, one line per event. Commands of the CLI log to standard error. */
export function createLogger(level: string, destination: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino({ level, base: { service: 'autolist' } }, pino.destination(destination === 'stdout' ? 1 : 2));
}
