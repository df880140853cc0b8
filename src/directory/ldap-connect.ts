import { isIP } from 'node:net';
import { Client } from 'ldapts';
import type { Logger } from '../log.js';
import { withDeadline } from './deadline.js';
import { DirectoryCertificateError, DirectoryTimeoutError, DirectoryUnavailableError } from './errors.js';
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
 * A refused password is the same on every server: it is thrown at once, not tried elsewhere. A
 * certificate that does not verify may be one server's (expired, another name): the next is tried.
 * When no server answers, the error is a timeout if every server was silent, a certificate error if
 * every server's certificate failed, else unavailable.
 */
export async function connectBound(options: ConnectOptions): Promise<Client> {
  const failures: string[] = [];
  let last: unknown;
  let allSilent = options.urls.length > 0;
  let allUntrusted = options.urls.length > 0;
  for (const url of options.urls) {
    const client = newClient(url, options);
    try {
      await withDeadline(open(client, url, options), options.connectTimeoutMs + options.timeoutMs, `connecting to ${url}`, () => drop(client));
      return client;
    } catch (error) {
      drop(client);
      const mapped = toDirectoryError(error, `bind to ${url}`);
      if (!mapped.temporary && !(mapped instanceof DirectoryCertificateError)) throw mapped;
      options.logger?.warn({ url, code: mapped.code, reason: mapped.message }, 'directory server unusable, trying the next');
      failures.push(mapped.message);
      last = mapped;
      allSilent &&= mapped instanceof DirectoryTimeoutError;
      allUntrusted &&= mapped instanceof DirectoryCertificateError;
    }
  }
  const reasons = failures.join('; ') || 'no URL configured';
  if (allUntrusted) throw new DirectoryCertificateError(`no directory server has a certificate autolist trusts (${reasons})`, { cause: last });
  const message = `no directory server answered (${reasons})`;
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
    ...(secure ? { tlsOptions: { ca: options.ca, ...serverName(url) } } : {}),
  });
}

async function open(client: Client, url: string, options: ConnectOptions): Promise<void> {
  if (options.startTLS && !url.toLowerCase().startsWith('ldaps:')) {
    await client.startTLS({ ca: options.ca, host: hostOf(url), ...serverName(url) });
  }
  await client.bind(options.bindDN ?? '', options.bindPassword ?? '');
}

function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
}

/** The TLS server name (SNI, and the name the certificate is checked against): none for an IP address, which RFC 6066 forbids there. */
function serverName(url: string): { servername?: string } {
  const host = hostOf(url);
  return isIP(host) === 0 ? { servername: host } : {};
}
