import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism, hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Network, Networks, networkText, parseNetwork } from '../address/networks.js';
import { AutolistError } from '../errors.js';
import { LANGUAGES, type Language } from '../i18n/index.js';

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
  /** Requests a minute per bearer token, or per client address without one (health and metrics routes apart); 0: no limit. */
  ratePerMinute: number;
  /** Proxies whose X-Forwarded-For names the client (CIDR); none: the peer is the client. */
  trustedProxies: Network[];
  /** How long /readyz waits for the directory's health check before answering 503 (probes have short timeouts). */
  readyTimeoutMs: number;
}

/** The Postfix fronts: a policy delegation server and a socketmap table, each started only when its port is set. */
export interface PostfixConfig {
  host: string;
  /** POSTFIX_POLICY_PORT; none: no policy server. */
  policyPort?: number;
  /** POSTFIX_SOCKETMAP_PORT; none: no socketmap server. */
  socketmapPort?: number;
  /** The socketmap's answer for an existing list: a transport for transport_maps (relay_recipient_maps takes any value); none: the SMTP front's address. */
  socketmapValue?: string;
  /** A connection idle this long is closed, in seconds. */
  idleTimeoutSeconds: number;
  /** Open connections per server; more are refused at once. */
  maxConnections: number;
}

/** The SMTP front: lists receive mail here. */
export interface SmtpConfig {
  host: string;
  port: number;
  /** The name in the greeting and in the Received headers autolist adds. */
  hostname: string;
  /** STARTTLS certificate and key (PEM files); without them STARTTLS is not offered. */
  tls?: { certFile: string; keyFile: string };
  /** AUTH accounts, one `user:scrypt$SALT$HASH` a line; without it AUTH is not offered. */
  authUsersFile?: string;
  sizeLimitBytes: number;
  maxRecipients: number;
  /** How long the client may stay silent, in milliseconds. */
  commandTimeoutMs: number;
  /** How long one connection may last, in milliseconds. */
  connectionTimeoutMs: number;
  maxConnections: number;
  /** Who receives LIST-owner mail for families whose charter names no owners. */
  defaultOwners: string[];
  limits: SmtpLimitsConfig;
  /** Where bounces reported to the lists' bounce addresses are recorded (JSON lines). */
  bouncesFile: string;
}

/** What the SMTP front tolerates of a client before it slows it down or hangs up. */
export interface SmtpLimitsConfig {
  /** Refused recipients a session may pile up; the next refusal closes it with 421 (0: no limit). */
  hardErrorLimit: number;
  /** Per minute (0: no limit): MAIL commands per client address and per sender, RCPT commands likewise. */
  messagesPerIp: number;
  messagesPerSender: number;
  recipientsPerIp: number;
  recipientsPerSender: number;
  /** Clients the per-address rates do not apply to (an MTA in front speaks for many); by default AUTOLIST_TRUSTED_NETWORKS. */
  rateExemptNetworks: Network[];
}

/** Where accepted mail goes: an SMTP relay, or the outbox folder. */
export interface RelayConfig {
  /** smtp:// or smtps:// URL, credentials allowed; none: the outbox folder. */
  url?: string;
  /** Relays of their own for lists of one priority (1 most urgent .. 9). */
  priorityUrls: Partial<Record<number, string>>;
  /** Recipients per SMTP transaction. */
  batchSize: number;
  /** Transactions under way at once, per message. */
  parallelBatches: number;
  /** Connections open at once to each relay, all messages together. */
  maxConnections: number;
  timeoutMs: number;
  outboxDir: string;
  /** Where the record of each message's delivered members is kept, so that a message tried again reaches nobody twice. */
  stateDir: string;
  /** How long a message's record is kept after its last try, in seconds. */
  deliveredTtlSeconds: number;
  /** How long after it reached everyone the same message (envelope and content) sent again is a retry of it, in seconds; at most deliveredTtlSeconds. */
  retryWindowSeconds: number;
}

/** The DKIM, SPF and DMARC check of received mail. */
export interface AuthenticationConfig {
  /** DNS servers it asks (IP, IPv4:port or [IPv6]:port); empty: the system's resolvers. */
  dnsServers: string[];
  /** How long one message's check may take, DNS included; past it, what is unknown is a temporary error. */
  timeoutMs: number;
}

/** Who may claim a sender address: clients that vouch for their senders, and whose word autolist takes. */
export interface VerificationConfig {
  /** Clients that vouch for their senders (CIDR; default loopback only, like Postfix's mynetworks_style = host). */
  trustedNetworks: Network[];
  /** The authserv-id of the Authentication-Results a trusted client adds (its OpenDMARC); believed from trusted clients only. */
  trustedAuthservId?: string;
  /** Addresses allowed to send XFORWARD (an MTA in front): the client they name is then judged instead of them. */
  xforwardClients: string[];
}

/** Processes `autolist serve` runs for each front (HTTP_WORKERS, SMTP_WORKERS, POSTFIX_WORKERS); the Postfix policy and socketmap servers count as one front. */
export interface WorkersConfig {
  http: number;
  smtp: number;
  postfix: number;
  /** The HTTP workers' CPU priority, a niceness (0 to 19) or Linux's idle class: under contention for the CPU, the mail path goes first. */
  httpNiceness: number | 'idle';
}

/**
 * Where state that outlives a process or is shared lives: local files (the default, one machine) or
 * Redis (REDIS_URL: replicas on several machines share delivery records, bounces, rate counts and events).
 */
export type StoreConfig =
  | { kind: 'files' }
  | {
      kind: 'redis';
      /** redis:// or rediss:// (one server), redis+sentinel://HOST:PORT[,HOST:PORT]/MASTER, redis+cluster://HOST:PORT[,HOST:PORT]. */
      url: string;
      /** Put before every key and channel (REDIS_PREFIX), so that several autolist installations can share a Redis. */
      prefix: string;
      /** How long a command may wait for Redis before the operation fails (4xx for mail). */
      timeoutMs: number;
    };

/** Signed links and tokens (moderation, one-click unsubscribe, confirmations by reply). */
export interface LinksConfig {
  /** The signing key (LINK_SECRET); unset: one kept in the relay's state folder. Replicas must share one: a link one signs is worth nothing to another. */
  secret?: string;
  /** Where people reach the HTTP front, for the links in mail (PUBLIC_URL), without a trailing slash. */
  publicUrl: string;
  /** Lists of at most this many members get a one-click unsubscribe link per member (ONE_CLICK_MAX_MEMBERS): a copy, so a transaction, per member. */
  oneClickMaxMembers: number;
}

export interface Config {
  familiesDir: string;
  /** Reload the families when a file of their folder changes (WATCH_FAMILIES), as SIGHUP does. */
  watchFamilies: boolean;
  /** What the site changes in every family: the base DN (LDAP_BASE_DN), the members' cache TTL (MEMBERS_CACHE_TTL). */
  familyOverrides: { base?: string; cacheTtlSeconds?: number };
  /** Resolutions (good and bad) kept in memory. */
  resolverCacheEntries: number;
  /** Longest local part a list address may have, in octets (RFC 5321: 64); longer ones are refused unread. */
  localPartMax: number;
  /** Keys (client addresses, senders, tokens) each rate limit remembers at most. */
  rateLimitKeys: number;
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
  smtp: SmtpConfig;
  relay: RelayConfig;
  postfix: PostfixConfig;
  workers: WorkersConfig;
  store: StoreConfig;
  links: LinksConfig;
  /** How often held messages are swept (MODERATION_SWEEP_SECONDS): the expired told to their authors, decisions not carried out tried again. */
  moderationSweepSeconds: number;
  verification: VerificationConfig;
  authentication: AuthenticationConfig;
  /** Address books (`autolist export`): the DN the lists go under in LDIF (EXPORT_BASE); unset, `ou=lists,` above each family's base. */
  export: { base?: string };
  /**
   * The site's language (LANGUAGE): that of what autolist says about no list in particular (a
   * domain it does not serve, a rate, a transaction before any list). Unset: that of every family
   * when they all speak one, else English.
   */
  language?: Language;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** The directory of the default run: the demo LDIF shipped with the project. */
export const DEMO_DIRECTORY = join(PROJECT_ROOT, 'demo', 'directory.ldif');

type Env = Record<string, string | undefined>;

/** Reads the configuration from environment variables, checking every value; one error lists every problem. */
export function loadConfig(env: Env = process.env): Config {
  return readConfig(env).config;
}

/** The configuration, and every variable read for it with its value and default (`autolist config`). */
export function readConfig(env: Env = process.env): { config: Config; variables: ConfigVariable[] } {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const http = httpConfig(read);
  const config: Config = {
    familiesDir: read.path('FAMILIES_DIR', join(PROJECT_ROOT, 'families')),
    watchFamilies: read.boolean('WATCH_FAMILIES', false),
    familyOverrides: {},
    resolverCacheEntries: read.integer('RESOLVER_CACHE_ENTRIES', 10_000, 0, 10_000_000),
    localPartMax: read.integer('LOCAL_PART_MAX', 64, 1, 250),
    rateLimitKeys: read.integer('RATE_LIMIT_KEYS', 20_000, 10, 10_000_000),
    directory: read.string('LDAP_URL') ? ldapConfig(read) : { kind: 'embedded', ldifFile: read.file('DIRECTORY_LDIF', DEMO_DIRECTORY) },
    membership: {
      maxMembersHeld: read.integer('MEMBERS_CACHE_MAX', 2_000_000, 1_000, 100_000_000),
      maxStaleSeconds: read.integer('MEMBERS_MAX_STALE', 24 * 3600, 0, 30 * 24 * 3600),
      senderTtlSeconds: read.integer('SENDER_CACHE_TTL', 30, 0, 24 * 3600),
    },
    rights: {
      ttlSeconds: read.integer('RIGHTS_CACHE_TTL', 30, 0, 3600),
      maxEntries: read.integer('RIGHTS_CACHE_ENTRIES', 100_000, 1, 10_000_000),
    },
    http,
    smtp: smtpConfig(read),
    relay: relayConfig(read),
    postfix: postfixConfig(read),
    workers: {
      http: read.integer('HTTP_WORKERS', availableParallelism(), 1, 256),
      smtp: read.integer('SMTP_WORKERS', availableParallelism(), 1, 256),
      postfix: read.integer('POSTFIX_WORKERS', availableParallelism(), 1, 256),
      httpNiceness: read.integerOr('HTTP_NICENESS', 'idle', 'idle', 0, 19),
    },
    store: storeConfig(read),
    links: linksConfig(read, http),
    moderationSweepSeconds: read.integer('MODERATION_SWEEP_SECONDS', 60, 1, 86_400),
    verification: verificationConfig(read),
    authentication: authenticationConfig(read),
    export: exportConfig(read),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  };
  // Like Postfix's smtpd_client_event_limit_exceptions, $mynetworks unless told otherwise.
  if (!read.isSet('SMTP_RATE_EXEMPT_NETWORKS')) config.smtp.limits.rateExemptNetworks = config.verification.trustedNetworks;
  read.defaultFrom('SMTP_RATE_EXEMPT_NETWORKS', 'TRUSTED_NETWORKS');
  const ttl = read.optionalInteger('MEMBERS_CACHE_TTL', 0, 7 * 24 * 3600);
  if (ttl !== undefined) config.familyOverrides.cacheTtlSeconds = ttl;
  const base = read.string('LDAP_BASE_DN');
  if (base) config.familyOverrides.base = base;
  const language = read.optionalOneOf('LANGUAGE', LANGUAGES);
  if (language !== undefined) config.language = language;
  if (config.directory.kind === 'ldap' && read.string('DIRECTORY_LDIF')) problems.push('AUTOLIST_LDAP_URL and AUTOLIST_DIRECTORY_LDIF are both set: choose one directory');
  if (problems.length > 0) throw new ConfigError(problems);
  return { config, variables: read.variables };
}

function exportConfig(read: EnvReader): Config['export'] {
  const base = read.string('EXPORT_BASE');
  // The DN's syntax is checked where it is used (src/export/), against the directory's DN reader.
  if (base !== undefined && !/^[A-Za-z0-9.-]+=/.test(base.trim())) read.problem(`AUTOLIST_EXPORT_BASE: "${base}" is not a distinguished name such as ou=lists,dc=example,dc=org`);
  return base === undefined ? {} : { base: base.trim() };
}

function ldapConfig(read: EnvReader): LdapConfig {
  const urls = read.list('LDAP_URL');
  for (const url of urls) if (!/^ldaps?:\/\/[^/\s]+\/?$/i.test(url)) read.problem(`AUTOLIST_LDAP_URL: "${url}" is not an ldap:// or ldaps:// URL`);
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
  if (bindDN && password === undefined) read.problem('AUTOLIST_LDAP_BIND_DN is set but neither AUTOLIST_LDAP_BIND_PASSWORD nor AUTOLIST_LDAP_BIND_PASSWORD_FILE');
  if (caFile) config.caFile = read.file('LDAP_CA_FILE');
  return config;
}

/** Tokens shorter than this are refused: they could be guessed. */
const MIN_TOKEN_LENGTH = 16;

function httpConfig(read: EnvReader): HttpConfig {
  const config: HttpConfig = {
    host: read.string('HTTP_HOST', '127.0.0.1'),
    port: read.integer('HTTP_PORT', 8080, 0, 65_535),
    bodyLimitBytes: read.integer('HTTP_BODY_LIMIT', 1_048_576, 1_024, 67_108_864),
    headerLimitBytes: read.integer('HTTP_HEADER_LIMIT', 16_384, 1_024, 65_536),
    ratePerMinute: read.integer('HTTP_RATE_LIMIT', 6_000, 0, 100_000_000),
    trustedProxies: read.networks('TRUSTED_PROXIES', []),
    readyTimeoutMs: read.integer('READY_TIMEOUT_MS', 2_000, 100, 60_000),
  };
  for (const [name, key] of [
    ['HTTP_READ_TOKEN', 'readToken'],
    ['HTTP_ADMIN_TOKEN', 'adminToken'],
  ] as const) {
    const token = read.secret(name);
    if (token === undefined) continue;
    if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) read.problem(`${envName(name)}: a token has at least ${MIN_TOKEN_LENGTH} characters and no spaces`);
    config[key] = token;
  }
  if (!isLoopback(config.host) && (config.readToken === undefined || config.adminToken === undefined)) {
    read.problem(`AUTOLIST_HTTP_HOST=${config.host} is not a loopback address: set AUTOLIST_HTTP_READ_TOKEN and AUTOLIST_HTTP_ADMIN_TOKEN (or their _FILE forms) to serve beyond this machine`);
  }
  return config;
}

/** An authserv-id (RFC 8601): a host name, as OpenDMARC's AuthservID is. */
const AUTHSERV_ID = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;

/** A DNS server as node's Resolver.setServers takes it: an IP address, IPv4:port or [IPv6]:port. */
function isDnsServer(text: string): boolean {
  const withPort = /^(?:\[([^\]]+)\]|(\d+\.\d+\.\d+\.\d+)):(\d{1,5})$/.exec(text);
  if (!withPort) return isIP(text) !== 0;
  const port = Number(withPort[3]);
  return port >= 1 && port <= 65535 && (withPort[1] === undefined ? isIP(withPort[2] ?? '') === 4 : isIP(withPort[1]) === 6);
}

function authenticationConfig(read: EnvReader): AuthenticationConfig {
  const dnsServers = read.list('DNS_SERVERS');
  for (const server of dnsServers.filter((text) => !isDnsServer(text))) {
    read.problem(`AUTOLIST_DNS_SERVERS: "${server}" is not an IP address, IPv4:port or [IPv6]:port`);
  }
  return { dnsServers, timeoutMs: read.integer('AUTHENTICATION_TIMEOUT_MS', 10_000, 100, 120_000) };
}

function verificationConfig(read: EnvReader): VerificationConfig {
  const config: VerificationConfig = {
    trustedNetworks: read.networks('TRUSTED_NETWORKS', ['127.0.0.0/8', '::1']),
    xforwardClients: read.list('SMTP_XFORWARD_CLIENTS'),
  };
  const authservId = read.string('TRUSTED_AUTHSERV_ID');
  if (authservId !== undefined && (authservId.length > 253 || !AUTHSERV_ID.test(authservId))) read.problem(`AUTOLIST_TRUSTED_AUTHSERV_ID: "${authservId}" is not a host name`);
  if (authservId !== undefined) config.trustedAuthservId = authservId.toLowerCase();
  const trusted = new Networks(config.trustedNetworks);
  for (const client of config.xforwardClients) {
    if (isIP(client) === 0) read.problem(`AUTOLIST_SMTP_XFORWARD_CLIENTS: "${client}" is not an IP address`);
    else if (!trusted.has(client)) read.problem(`AUTOLIST_SMTP_XFORWARD_CLIENTS: ${client} is not in AUTOLIST_TRUSTED_NETWORKS: only a trusted client may name another`);
  }
  return config;
}

function postfixConfig(read: EnvReader): PostfixConfig {
  const config: PostfixConfig = {
    host: read.string('POSTFIX_HOST', '127.0.0.1'),
    idleTimeoutSeconds: read.integer('POSTFIX_IDLE_TIMEOUT', 600, 1, 24 * 3600),
    maxConnections: read.integer('POSTFIX_MAX_CONNECTIONS', 100, 1, 10_000),
  };
  const socketmapValue = read.string('POSTFIX_SOCKETMAP_VALUE');
  // The value travels in a netstring and Postfix reads it as a table value: printable text only.
  if (socketmapValue !== undefined && !/^[\x21-\x7e][\x20-\x7e]{0,999}$/.test(socketmapValue))
    read.problem('AUTOLIST_POSTFIX_SOCKETMAP_VALUE: printable ASCII, up to 1000 characters, not starting with a space');
  if (socketmapValue !== undefined) config.socketmapValue = socketmapValue;
  const policyPort = read.optionalInteger('POSTFIX_POLICY_PORT', 0, 65_535);
  const socketmapPort = read.optionalInteger('POSTFIX_SOCKETMAP_PORT', 0, 65_535);
  if (policyPort !== undefined) config.policyPort = policyPort;
  if (socketmapPort !== undefined) config.socketmapPort = socketmapPort;
  if (policyPort !== undefined && policyPort !== 0 && policyPort === socketmapPort)
    read.problem(`AUTOLIST_POSTFIX_POLICY_PORT and AUTOLIST_POSTFIX_SOCKETMAP_PORT are both ${policyPort}: give each its own port`);
  return config;
}

function smtpConfig(read: EnvReader): SmtpConfig {
  const config: SmtpConfig = {
    host: read.string('SMTP_HOST', '127.0.0.1'),
    port: read.integer('SMTP_PORT', 2525, 0, 65_535),
    hostname: read.string('SMTP_HOSTNAME', hostname()),
    sizeLimitBytes: read.integer('SMTP_SIZE_LIMIT', 26_214_400, 1_024, 1_073_741_824),
    maxRecipients: read.integer('SMTP_MAX_RECIPIENTS', 100, 1, 100_000),
    commandTimeoutMs: read.integer('SMTP_COMMAND_TIMEOUT_MS', 60_000, 1_000, 3_600_000),
    connectionTimeoutMs: read.integer('SMTP_CONNECTION_TIMEOUT_MS', 600_000, 1_000, 86_400_000),
    maxConnections: read.integer('SMTP_MAX_CONNECTIONS', 100, 1, 100_000),
    defaultOwners: read.list('LIST_OWNERS').map((a) => a.toLowerCase()),
    limits: {
      hardErrorLimit: read.integer('SMTP_HARD_ERROR_LIMIT', 20, 0, 100_000),
      messagesPerIp: read.integer('SMTP_RATE_MESSAGES_PER_IP', 1_000, 0, 100_000_000),
      messagesPerSender: read.integer('SMTP_RATE_MESSAGES_PER_SENDER', 200, 0, 100_000_000),
      recipientsPerIp: read.integer('SMTP_RATE_RECIPIENTS_PER_IP', 10_000, 0, 100_000_000),
      recipientsPerSender: read.integer('SMTP_RATE_RECIPIENTS_PER_SENDER', 2_000, 0, 100_000_000),
      // Unset: AUTOLIST_TRUSTED_NETWORKS (readConfig).
      rateExemptNetworks: read.networks('SMTP_RATE_EXEMPT_NETWORKS', []),
    },
    bouncesFile: read.path('BOUNCES_FILE', join(PROJECT_ROOT, 'state', 'bounces.log')),
  };
  const cert = read.string('SMTP_TLS_CERT_FILE');
  const key = read.string('SMTP_TLS_KEY_FILE');
  if ((cert === undefined) !== (key === undefined)) read.problem('AUTOLIST_SMTP_TLS_CERT_FILE and AUTOLIST_SMTP_TLS_KEY_FILE go together: set both or neither');
  else if (cert !== undefined) config.tls = { certFile: read.file('SMTP_TLS_CERT_FILE'), keyFile: read.file('SMTP_TLS_KEY_FILE') };
  if (read.string('SMTP_AUTH_USERS_FILE') !== undefined) config.authUsersFile = read.file('SMTP_AUTH_USERS_FILE');
  // smtp-server takes AUTH in the clear when STARTTLS is not offered: passwords go over TLS only.
  if (config.authUsersFile !== undefined && cert === undefined)
    read.problem('AUTOLIST_SMTP_AUTH_USERS_FILE needs AUTOLIST_SMTP_TLS_CERT_FILE and AUTOLIST_SMTP_TLS_KEY_FILE: passwords are taken over TLS only');
  for (const owner of config.defaultOwners) if (!/^[^@\s]+@[^@\s]+$/.test(owner)) read.problem(`AUTOLIST_LIST_OWNERS: "${owner}" is not an address`);
  return config;
}

function relayConfig(read: EnvReader): RelayConfig {
  const relayUrl = (name: string): string | undefined => {
    const url = read.secret(name, 'url');
    if (url !== undefined && !/^smtps?:\/\/[^/\s]+\/?(\?\S*)?$/i.test(url)) read.problem(`${envName(name)}: not an smtp:// or smtps:// URL`);
    return url;
  };
  const config: RelayConfig = {
    priorityUrls: {},
    batchSize: read.integer('RELAY_BATCH_SIZE', 1000, 1, 100_000),
    parallelBatches: read.integer('RELAY_PARALLEL_BATCHES', 4, 1, 64),
    maxConnections: read.integer('RELAY_MAX_CONNECTIONS', 20, 1, 1000),
    timeoutMs: read.integer('RELAY_TIMEOUT_MS', 60_000, 100, 3_600_000),
    outboxDir: read.path('OUTBOX_DIR', join(PROJECT_ROOT, 'outbox')),
    stateDir: read.path('RELAY_STATE_DIR', join(PROJECT_ROOT, 'state')),
    deliveredTtlSeconds: read.integer('RELAY_DELIVERED_TTL', 7 * 24 * 3600, 60, 30 * 24 * 3600),
    retryWindowSeconds: 0,
  };
  // One hour, or the TTL when shorter.
  config.retryWindowSeconds = read.integer('RETRY_WINDOW', Math.min(3600, config.deliveredTtlSeconds), 1, 30 * 24 * 3600);
  if (config.retryWindowSeconds > config.deliveredTtlSeconds)
    read.problem(`${envName('RETRY_WINDOW')}: longer than ${envName('RELAY_DELIVERED_TTL')} (${config.deliveredTtlSeconds}), which keeps the records it needs`);
  const url = relayUrl('RELAY_URL');
  if (url !== undefined) config.url = url;
  for (let priority = 1; priority <= 9; priority++) {
    const own = relayUrl(`RELAY_URL_PRIORITY_${priority}`);
    if (own !== undefined) config.priorityUrls[priority] = own;
    read.defaultFrom(`RELAY_URL_PRIORITY_${priority}`, 'RELAY_URL');
  }
  return config;
}

/** Redis URLs: one server, Sentinels and the name of the master they watch, or Cluster nodes. */
const REDIS_URL = /^(rediss?:\/\/\S+|redis\+sentinel:\/\/[^/\s]+\/[^/\s]+|redis\+cluster:\/\/[^/\s]+\/?)$/i;

function storeConfig(read: EnvReader): StoreConfig {
  const url = read.secret('REDIS_URL', 'url');
  const prefix = read.string('REDIS_PREFIX', 'autolist:');
  const timeoutMs = read.integer('REDIS_TIMEOUT_MS', 2000, 50, 60_000);
  if (url === undefined) return { kind: 'files' };
  if (!REDIS_URL.test(url)) read.problem(`${envName('REDIS_URL')}: not a redis://, rediss://, redis+sentinel://HOST:PORT/MASTER or redis+cluster:// URL`);
  return { kind: 'redis', url, prefix, timeoutMs };
}

/** Keys shorter than this are refused: a signature is only as strong as its key. */
const MIN_SECRET_LENGTH = 32;

function linksConfig(read: EnvReader, http: HttpConfig): LinksConfig {
  const host = http.host.includes(':') ? `[${http.host}]` : http.host;
  const publicUrl = read.string('PUBLIC_URL', `http://${host}:${http.port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/i.test(publicUrl)) read.problem(`${envName('PUBLIC_URL')}: not an http:// or https:// URL`);
  const secret = read.secret('LINK_SECRET');
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) read.problem(`${envName('LINK_SECRET')}: a signing key has at least ${MIN_SECRET_LENGTH} characters`);
  const oneClickMaxMembers = read.integer('ONE_CLICK_MAX_MEMBERS', 1000, 0, 1_000_000);
  return secret === undefined ? { publicUrl, oneClickMaxMembers } : { secret, publicUrl, oneClickMaxMembers };
}

/** localhost, 127.0.0.0/8 and ::1: reachable from this machine only. */
function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.replace(/^::ffff:/, '');
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Every variable autolist reads carries this prefix, so that variables meant for other programs
 * (Kubernetes injects SMTP_PORT=tcp://10.0.0.5:25 for a Service named smtp) are never taken for its own.
 */
export const ENV_PREFIX = 'AUTOLIST_';

/** The environment variable behind a configuration name: SMTP_PORT is read from AUTOLIST_SMTP_PORT. */
export function envName(name: string): string {
  return `${ENV_PREFIX}${name}`;
}

/** A value as `autolist config` shows it. */
export type ConfigValue = string | number | boolean | string[];

/** One variable as the configuration was read from it; a secret's value is masked here, never held. */
export interface ConfigVariable {
  /** The variable, prefix included; a secret given in a file is named by its _FILE form. */
  variable: string;
  /** The value autolist runs with: the environment's, else the default; undefined: none. */
  value: ConfigValue | undefined;
  /** What stands in when the variable is unset; undefined: nothing (the feature is off, or each family decides). */
  default: ConfigValue | undefined;
  /** Whether the value comes from the environment rather than from the default. */
  set: boolean;
  secret: boolean;
  /** The file a secret was read from (its _FILE form). */
  file?: string;
}

/** What may be shown of a secret: nothing; of a URL, its scheme, host and port (as the relay's name in logs). */
export function maskSecret(secret: string, kind: 'text' | 'url'): string {
  if (kind === 'url' && URL.canParse(secret)) {
    const url = new URL(secret);
    // An @ past the host could be part of a password the parser took for a path or query.
    if (url.host !== '' && !`${url.pathname}${url.search}${url.hash}`.includes('@')) {
      return `${url.protocol}//${url.username !== '' || url.password !== '' ? '***@' : ''}${url.host}${url.search === '' && url.hash === '' ? '' : '?***'}`;
    }
  }
  return '***';
}

/**
 * Typed reads of environment variables (NAME is read from AUTOLIST_NAME); problems are collected,
 * defaults stand in. Each read is recorded, so that the variables are listed once, where they are read.
 */
export class EnvReader {
  private readonly record = new Map<string, ConfigVariable>();

  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  /** Every variable read, in the order first read, with what it was last read as. */
  get variables(): ConfigVariable[] {
    return [...this.record.values()].map((v) => ({ ...v }));
  }

  /** The variable's value, read under its prefixed name only. */
  private raw(name: string): string | undefined {
    return this.env[envName(name)];
  }

  /** The variable's value; empty counts as unset. */
  private given(name: string): string | undefined {
    const raw = this.raw(name);
    return raw === '' ? undefined : raw;
  }

  private note(name: string, value: ConfigValue | undefined, fallback: ConfigValue | undefined, set: boolean): void {
    this.record.set(name, { variable: envName(name), value, default: fallback, set, secret: false });
  }

  /** Whether the variable is in the environment at all (empty included). */
  isSet(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  /** Records that NAME, unset, takes SOURCE's value (which the caller gives it). */
  defaultFrom(name: string, source: string): void {
    const entry = this.record.get(name);
    const from = this.record.get(source);
    if (entry === undefined || from === undefined) return;
    entry.default = from.value;
    if (!entry.set) entry.value = from.value;
  }

  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  string(name: string, fallback?: string): string | undefined {
    const given = this.given(name);
    this.note(name, given ?? fallback, fallback, given !== undefined);
    return given ?? fallback;
  }

  /** A path, made absolute (from the working folder). */
  path(name: string, fallback: string): string {
    const given = this.given(name);
    const path = resolve(given ?? fallback);
    this.note(name, path, resolve(fallback), given !== undefined);
    return path;
  }

  /** Comma- or space-separated values. */
  list(name: string): string[] {
    const values = splitList(this.raw(name));
    this.note(name, values, [], this.given(name) !== undefined);
    return values;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.given(name);
    let value = fallback;
    if (raw !== undefined && /^(1|true|yes|on)$/i.test(raw)) value = true;
    else if (raw !== undefined && /^(0|false|no|off)$/i.test(raw)) value = false;
    else if (raw !== undefined) this.problems.push(`${envName(name)}=${JSON.stringify(raw)}: expected true or false`);
    this.note(name, value, fallback, raw !== undefined);
    return value;
  }

  /** A file's path, checked now so that a typo is caught at start; unset, the fallback (unchecked). */
  file(name: string, fallback?: string): string {
    const given = this.given(name);
    const path = given === undefined && fallback !== undefined ? fallback : resolve(given ?? '');
    if (given !== undefined && !existsSync(path)) this.problems.push(`${envName(name)}: no file ${path}`);
    this.note(name, path, fallback, given !== undefined);
    return path;
  }

  /** A secret given inline (NAME) or in a file (NAME_FILE, first line), never both; recorded masked (a URL: its host only). */
  secret(name: string, kind: 'text' | 'url' = 'text'): string | undefined {
    const inline = this.given(name);
    const file = this.given(`${name}_FILE`);
    if (inline !== undefined && file !== undefined) this.problems.push(`${envName(name)} and ${envName(name)}_FILE are both set: choose one`);
    const secret = file === undefined ? inline : this.secretFile(name, file);
    this.record.set(name, {
      variable: envName(file === undefined ? name : `${name}_FILE`),
      value: secret === undefined ? undefined : maskSecret(secret, kind),
      default: undefined,
      set: inline !== undefined || file !== undefined,
      secret: true,
      ...(file === undefined ? {} : { file: resolve(file) }),
    });
    return secret;
  }

  private secretFile(name: string, file: string): string | undefined {
    try {
      return readFileSync(file, 'utf8').split(/\r?\n/)[0];
    } catch (error) {
      this.problems.push(`${envName(name)}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    const value = this.wholeNumber(name, min, max);
    this.note(name, value, undefined, this.given(name) !== undefined);
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.wholeNumber(name, min, max) ?? fallback;
    this.note(name, value, fallback, this.given(name) !== undefined);
    return value;
  }

  /** A whole number from min to max, or the word. */
  integerOr<W extends string>(name: string, word: W, fallback: number | W, min: number, max: number): number | W {
    const value = this.given(name) === word ? word : (this.wholeNumber(name, min, max, ` or ${word}`) ?? fallback);
    this.note(name, value, fallback, this.given(name) !== undefined);
    return value;
  }

  /** The variable as a whole number from min to max; undefined when unset, or wrong (a problem then, whose expectation ends with `otherwise`). */
  private wholeNumber(name: string, min: number, max: number, otherwise = ''): number | undefined {
    const raw = this.given(name);
    if (raw === undefined) return undefined;
    // Decimal digits only: Number() would also take 0x1F90, 8e3, 0b1 or surrounding spaces.
    const n = /^[0-9]{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${envName(name)}=${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}${otherwise}`);
      return undefined;
    }
    return n;
  }

  /** IP networks in CIDR notation, comma- or space-separated (a bare address is a network of one). */
  networks(name: string, fallback: readonly string[]): Network[] {
    const given = this.raw(name);
    const texts = given === undefined ? fallback : splitList(given);
    const networks: Network[] = [];
    for (const text of texts) {
      const network = parseNetwork(text);
      if (network) networks.push(network);
      else this.problems.push(`${envName(name)}: "${text}" is not an IP address or network (192.0.2.0/24, 2001:db8::/32)`);
    }
    this.note(name, networks.map(networkText), fallback.flatMap((text) => parseNetwork(text) ?? []).map(networkText), given !== undefined);
    return networks;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const value = this.chosen(name, values) ?? fallback;
    this.note(name, value, fallback, this.given(name) !== undefined);
    return value;
  }

  optionalOneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.chosen(name, values);
    this.note(name, value, undefined, this.given(name) !== undefined);
    return value;
  }

  /** The variable as one of the values; undefined when unset, or another value (a problem then). */
  private chosen<T extends string>(name: string, values: readonly T[]): T | undefined {
    const raw = this.given(name);
    if (raw === undefined) return undefined;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${envName(name)}=${JSON.stringify(raw)}: expected one of ${values.join(', ')}`);
    return undefined;
  }
}

function splitList(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).filter(Boolean);
}
