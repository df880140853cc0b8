import { existsSync, readFileSync } from 'node:fs';
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

export interface LdapConfig {
  kind: 'ldap';
  urls: string[];
  bindDN?: string;
  bindPassword?: string;
  startTLS: boolean;
  caFile?: string;
  pageSize: number;
  sizeLimit: number;
  timeLimitSeconds: number;
  connectTimeoutMs: number;
  timeoutMs: number;
  poolSize: number;
}

export interface EmbeddedConfig {
  kind: 'embedded';
  ldifFile: string;
}

export interface Config {
  familiesDir: string;
  /** Replaces every family's base DN (one directory tree for all). */
  baseDN?: string;
  /** Resolutions (good and bad) kept in memory. */
  resolverCacheEntries: number;
  directory: LdapConfig | EmbeddedConfig;
  membership: {
    /** Members held in the cache, all lists together. */
    maxMembersHeld: number;
    /** Overrides every family's cache-ttl when set, in seconds. */
    ttlSeconds?: number;
    /** How old cached members may be when served because the directory is down, in seconds. */
    maxStaleSeconds: number;
    senderTtlSeconds: number;
  };
  rights: { ttlSeconds: number; maxEntries: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** The directory of the default run: the demo LDIF shipped with the project. */
export const DEMO_DIRECTORY = join(PROJECT_ROOT, 'demo', 'directory.ldif');

type Env = Record<string, string | undefined>;

/** Reads the configuration from environment variables, checking every value; one error lists every problem. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const config: Config = {
    familiesDir: resolve(env.FAMILIES_DIR ?? join(PROJECT_ROOT, 'families')),
    resolverCacheEntries: read.integer('RESOLVER_CACHE_ENTRIES', 10_000, 0, 10_000_000),
    directory: env.LDAP_URL ? ldapConfig(read) : { kind: 'embedded', ldifFile: env.DIRECTORY_LDIF ? read.file('DIRECTORY_LDIF') : DEMO_DIRECTORY },
    membership: {
      maxMembersHeld: read.integer('MEMBERS_CACHE_MAX', 2_000_000, 1_000, 100_000_000),
      maxStaleSeconds: read.integer('MEMBERS_MAX_STALE', 24 * 3600, 0, 30 * 24 * 3600),
      senderTtlSeconds: read.integer('SENDER_CACHE_TTL', 300, 0, 24 * 3600),
    },
    rights: {
      ttlSeconds: read.integer('RIGHTS_CACHE_TTL', 30, 0, 3600),
      maxEntries: read.integer('RIGHTS_CACHE_ENTRIES', 100_000, 1, 10_000_000),
    },
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  };
  const ttl = read.optionalInteger('MEMBERS_CACHE_TTL', 0, 7 * 24 * 3600);
  if (ttl !== undefined) config.membership.ttlSeconds = ttl;
  if (env.LDAP_BASE_DN) config.baseDN = env.LDAP_BASE_DN;
  if (env.LDAP_URL && env.DIRECTORY_LDIF) problems.push('LDAP_URL and DIRECTORY_LDIF are both set: choose one directory');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function ldapConfig(read: EnvReader): LdapConfig {
  const urls = read.list('LDAP_URL');
  for (const url of urls) if (!/^ldaps?:\/\/[^/\s]+\/?$/i.test(url)) read.problem(`LDAP_URL: "${url}" is not an ldap:// or ldaps:// URL`);
  const config: LdapConfig = {
    kind: 'ldap',
    urls,
    startTLS: read.boolean('LDAP_STARTTLS', false),
    pageSize: read.integer('LDAP_PAGE_SIZE', 1000, 1, 100_000),
    sizeLimit: read.integer('LDAP_SIZE_LIMIT', 0, 0, 100_000_000),
    timeLimitSeconds: read.integer('LDAP_TIME_LIMIT', 60, 0, 3600),
    connectTimeoutMs: read.integer('LDAP_CONNECT_TIMEOUT_MS', 5_000, 100, 120_000),
    timeoutMs: read.integer('LDAP_TIMEOUT_MS', 30_000, 100, 600_000),
    poolSize: read.integer('LDAP_POOL_SIZE', 4, 1, 64),
  };
  const bindDN = read.string('LDAP_BIND_DN');
  const password = read.secret('LDAP_BIND_PASSWORD');
  const caFile = read.string('LDAP_CA_FILE');
  if (bindDN) config.bindDN = bindDN;
  if (password !== undefined) config.bindPassword = password;
  if (bindDN && password === undefined) read.problem('LDAP_BIND_DN is set but neither LDAP_BIND_PASSWORD nor LDAP_BIND_PASSWORD_FILE');
  if (caFile) config.caFile = read.file('LDAP_CA_FILE');
  return config;
}

/** Typed reads of environment variables; problems are collected, defaults stand in. */
export class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  problem(message: string): void {
    this.problems.push(message);
  }

  string(name: string): string | undefined {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? undefined : raw;
  }

  /** Comma- or space-separated values. */
  list(name: string): string[] {
    return (this.env[name] ?? '').split(/[\s,]+/).filter(Boolean);
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    this.problems.push(`${name}=${JSON.stringify(raw)}: expected true or false`);
    return fallback;
  }

  /** A file's path, checked now so that a typo is caught at start. */
  file(name: string): string {
    const path = resolve(this.string(name) ?? '');
    if (!existsSync(path)) this.problems.push(`${name}: no file ${path}`);
    return path;
  }

  /** A secret given inline (NAME) or in a file (NAME_FILE, first line), never both. */
  secret(name: string): string | undefined {
    const inline = this.string(name);
    const file = this.string(`${name}_FILE`);
    if (inline !== undefined && file !== undefined) this.problems.push(`${name} and ${name}_FILE are both set: choose one`);
    if (file === undefined) return inline;
    try {
      return readFileSync(file, 'utf8').split(/\r?\n/)[0];
    } catch (error) {
      this.problems.push(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    return this.string(name) === undefined ? undefined : this.integer(name, min, min, max);
  }

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
