import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutolistError } from '../errors.js';

/** The project's root folder (this file is src/config/config.ts, or dist/config/config.js once built). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export class ConfigError extends AutolistError {
  readonly code = 'CONFIG_INVALID';
  readonly temporary = false;
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

export interface Config {
  familiesDir: string;
  /** Resolutions (good and bad) kept in memory. */
  resolverCacheEntries: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

type Env = Record<string, string | undefined>;

/** Reads the configuration from environment variables, checking every value; one error lists every problem. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const config: Config = {
    familiesDir: resolve(env.FAMILIES_DIR ?? join(PROJECT_ROOT, 'families')),
    resolverCacheEntries: read.integer('RESOLVER_CACHE_ENTRIES', 10_000, 1, 10_000_000),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Typed reads of environment variables; problems are collected, defaults stand in. */
export class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(values as readonly string[]).includes(raw)) {
      this.problems.push(`${name}=${JSON.stringify(raw)}: expected one of ${values.join(', ')}`);
      return fallback;
    }
    return raw as T;
  }
}
