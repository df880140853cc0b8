import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
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

/** The HTTP front (autolist serve). */
export interface HttpConfig {
  host: string;
  port: number;
  /** Bearer token every read route requires; none means open (allowed on a loopback host only). */
  readToken?: string;
  /** Bearer token of the admin routes (cache invalidation, reload); it also opens the read routes. */
  adminToken?: string;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
  /** Largest request head (request line and headers) accepted, in bytes. */
  headerLimitBytes: number;
}

export interface Config {
  familiesDir: string;
  /** What the site changes in every family: the base DN (LDAP_BASE_DN), the members' cache TTL (MEMBERS_CACHE_TTL). */
  familyOverrides: { base?: string; cacheTtlSeconds?: number };
  /** Resolutions (good and bad) kept in memory. */
  resolverCacheEntries: number;
  directory: LdapConfig | EmbeddedConfig;
  membership: {
    /** Members held in the cache, all lists together. */
    maxMembersHeld: number;
    /** How old cached members may be when served because the directory is down, in seconds. */
    maxStaleSeconds: number;
    senderTtlSeconds: number;
  };
  rights: { ttlSeconds: number; maxEntries: number };
  http: HttpConfig;
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
    familyOverrides: {},
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
    http: httpConfig(read),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  };
  const ttl = read.optionalInteger('MEMBERS_CACHE_TTL', 0, 7 * 24 * 3600);
  if (ttl !== undefined) config.familyOverrides.cacheTtlSeconds = ttl;
  if (env.LDAP_BASE_DN) config.familyOverrides.base = env.LDAP_BASE_DN;
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

/** Tokens shorter than this are refused: they could be guessed. */
const MIN_TOKEN_LENGTH = 16;

function httpConfig(read: EnvReader): HttpConfig {
  const config: HttpConfig = {
    host: read.string('HTTP_HOST') ?? '127.0.0.1',
    port: read.integer('HTTP_PORT', 8080, 0, 65_535),
    bodyLimitBytes: read.integer('HTTP_BODY_LIMIT', 1_048_576, 1_024, 67_108_864),
    headerLimitBytes: read.integer('HTTP_HEADER_LIMIT', 16_384, 1_024, 65_536),
  };
  for (const [name, key] of [['HTTP_READ_TOKEN', 'readToken'], ['HTTP_ADMIN_TOKEN', 'adminToken']] as const) {
    const token = read.secret(name);
    if (token === undefined) continue;
    if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) read.problem(`${name}: a token has at least ${MIN_TOKEN_LENGTH} characters and no spaces`);
    config[key] = token;
  }
  if (!isLoopback(config.host) && (config.readToken === undefined || config.adminToken === undefined)) {
    read.problem(`HTTP_HOST=${config.host} is not a loopback address: set HTTP_READ_TOKEN and HTTP_ADMIN_TOKEN (or their _FILE forms) to serve beyond this machine`);
  }
  return config;
}

/** localhost, 127.0.0.0/8 and ::1: reachable from this machine only. */
function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.replace(/^::ffff:/, '');
  return isIP(v4) === 4 && v4.startsWith('127.');
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
