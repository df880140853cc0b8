import { Client } from 'ldapts';
import type { Logger } from '../log.js';
import { withDeadline } from './deadline.js';
import { DirectoryTimeoutError, DirectoryUnavailableError } from './errors.js';
import { toDirectoryError } from './ldap-errors.js';

export interface ConnectOptions {
  urls: string[];
  bindDN?: string;
  bindPassword?: string;
  startTLS: boolean;
  /** Trusted CA certificates (PEM) for ldaps:// and StartTLS; the system's when absent. */
  ca?: string;
  connectTimeoutMs: number;
  timeoutMs: number;
  logger?: Logger;
}

/**
 * Opens a connection to the first URL that answers and binds (anonymously without a bind DN).
 * A refused password is the same on every server: it is thrown at once, not tried elsewhere.
 * When no server answers, the error is a timeout if every server was silent, else unavailable.
 */
export async function connectBound(options: ConnectOptions): Promise<Client> {
  const failures: string[] = [];
  let last: unknown;
  let allSilent = options.urls.length > 0;
  for (const url of options.urls) {
    const client = newClient(url, options);
    try {
      await withDeadline(open(client, url, options), options.connectTimeoutMs + options.timeoutMs, `connecting to ${url}`, () => drop(client));
      return client;
    } catch (error) {
      drop(client);
      const mapped = toDirectoryError(error, `bind to ${url}`);
      if (!mapped.temporary) throw mapped;
      options.logger?.warn({ url, code: mapped.code, reason: mapped.message }, 'directory server unusable, trying the next');
      failures.push(`${url}: ${mapped.message}`);
      last = mapped;
      allSilent &&= mapped instanceof DirectoryTimeoutError;
    }
  }
  const message = `no directory server answered (${failures.join('; ') || 'no URL configured'})`;
  throw allSilent ? new DirectoryTimeoutError(message, { cause: last }) : new DirectoryUnavailableError(message, { cause: last });
}

/** Closes a connection, ignoring errors: it is being thrown away. */
export function drop(client: Client): void {
  client.unbind().catch(() => undefined);
}

function newClient(url: string, options: ConnectOptions): Client {
  // ldapts speaks TLS from the start whenever tlsOptions has a value: only give them for ldaps://.
  const secure = url.toLowerCase().startsWith('ldaps:');
  return new Client({
    url,
    connectTimeout: options.connectTimeoutMs,
    // A backstop only: withDeadline() enforces timeoutMs and reports it as DIRECTORY_TIMEOUT.
    timeout: options.timeoutMs + 1000,
    ...(secure ? { tlsOptions: { ca: options.ca, servername: hostOf(url) } } : {}),
  });
}

async function open(client: Client, url: string, options: ConnectOptions): Promise<void> {
  if (options.startTLS && !url.toLowerCase().startsWith('ldaps:')) {
    const host = hostOf(url);
    await client.startTLS({ ca: options.ca, host, servername: host });
  }
  await client.bind(options.bindDN ?? '', options.bindPassword ?? '');
}

function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
}
