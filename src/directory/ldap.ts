import { readFileSync } from 'node:fs';
import type { Client, Entry as LdaptsEntry, SearchResult } from 'ldapts';
import type { Logger } from '../log.js';
import { withDeadline } from './deadline.js';
import type { Directory, Entry, SearchRequest } from './directory.js';
import { DirectoryLimitExceededError, DirectoryUnavailableError } from './errors.js';
import { toDirectoryError } from './ldap-errors.js';
import { ConnectionPool } from './ldap-pool.js';

export interface LdapDirectoryOptions {
  /** Tried in order on each new connection: ldap:// or ldaps://. */
  urls: string[];
  bindDN?: string;
  bindPassword?: string;
  /** Upgrade ldap:// connections with StartTLS before binding. */
  startTLS?: boolean;
  /** PEM file of the CAs trusted for ldaps:// and StartTLS. */
  caFile?: string;
  /** Entries per page of the simple paged results control (default 1000). */
  pageSize?: number;
  /** Most entries a search may return, 0 for no limit (default 0): more is DIRECTORY_LIMIT_EXCEEDED. */
  sizeLimit?: number;
  /** Server-side time limit of a search in seconds, 0 for none (default 60). */
  timeLimitSeconds?: number;
  connectTimeoutMs?: number;
  /** Longest wait for any one answer: a bind, a page of results (default 30,000). */
  timeoutMs?: number;
  /** Bound connections kept for reuse (default 4). */
  poolSize?: number;
  logger?: Logger;
}

/**
 * A directory served by LDAP servers. Searches use simple paged results and are streamed page by
 * page; a search either yields every entry or throws a DirectoryError.
 */
export class LdapDirectory implements Directory {
  readonly kind = 'ldap';
  private readonly pool: ConnectionPool;
  private readonly pageSize: number;
  private readonly sizeLimit: number;
  private readonly timeLimitSeconds: number;
  private readonly timeoutMs: number;
  private readonly logger: Logger | undefined;
  private closed = false;

  constructor(options: LdapDirectoryOptions) {
    this.pageSize = options.pageSize ?? 1000;
    this.sizeLimit = options.sizeLimit ?? 0;
    this.timeLimitSeconds = options.timeLimitSeconds ?? 60;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.logger = options.logger;
    this.pool = new ConnectionPool({
      urls: options.urls,
      startTLS: options.startTLS ?? false,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      timeoutMs: this.timeoutMs,
      size: options.poolSize ?? 4,
      ...(options.bindDN === undefined ? {} : { bindDN: options.bindDN }),
      ...(options.bindPassword === undefined ? {} : { bindPassword: options.bindPassword }),
      ...(options.caFile === undefined ? {} : { ca: readFileSync(options.caFile, 'utf8') }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  }

  /**
   * A connection that fails before the first page (a pooled connection the server had closed) is
   * replaced once; after entries were yielded, a failure can only be thrown.
   */
  async *search(request: SearchRequest): AsyncGenerator<Entry> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.acquire();
      const pages = client.searchPaginated(request.base, {
        scope: request.scope,
        filter: request.filter,
        attributes: request.attributes,
        paged: { pageSize: this.pageSize },
        // Never a sizeLimit here: ldapts would return a truncated answer as a whole one. See below.
        timeLimit: this.timeLimitSeconds,
      });
      // Each page is asked for before the entries of the previous one are yielded: the server works
      // while the caller reads, and a caller that stops during the last page leaves no search open.
      let next = ahead(pages);
      let started = false;
      let finished = false;
      try {
        let count = 0;
        for (;;) {
          const page = await withDeadline(next.page, this.timeoutMs, 'LDAP search', () => this.pool.discard(client));
          started = true;
          if (page.done) break;
          next = ahead(pages);
          if (page.value.searchReferences.length > 0) {
            this.logger?.warn({ base: request.base, references: page.value.searchReferences }, 'LDAP search references not followed');
          }
          count += page.value.searchEntries.length;
          // The size limit is enforced here, so that a server's own limit always comes back as an error.
          if (this.sizeLimit > 0 && count > this.sizeLimit) {
            throw new DirectoryLimitExceededError(`LDAP search under ${request.base}: more than ${this.sizeLimit} entries`);
          }
          for (const raw of page.value.searchEntries) yield toEntry(raw);
        }
        finished = true;
        return;
      } catch (error) {
        const mapped = toDirectoryError(error, `LDAP search under ${request.base}`);
        if (!started && attempt === 1 && mapped instanceof DirectoryUnavailableError) {
          this.logger?.debug({ reason: mapped.message }, 'pooled LDAP connection failed, retrying on a new one');
          continue;
        }
        throw mapped;
      } finally {
        // A search left before its end still holds a paged-results cookie on the server: drop it.
        if (finished || next.ended) this.pool.release(client);
        else this.pool.discard(client);
      }
    }
  }

  /** Reads the root DSE: the server answers and our credentials are good. */
  async health(): Promise<void> {
    const client = await this.acquire();
    try {
      const search = client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'], timeLimit: this.timeLimitSeconds });
      await withDeadline(search, this.timeoutMs, 'LDAP health check', () => this.pool.discard(client));
      this.pool.release(client);
    } catch (error) {
      this.pool.discard(client);
      throw toDirectoryError(error, 'LDAP health check');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pool.close();
  }

  private acquire(): Promise<Client> {
    if (this.closed) throw new DirectoryUnavailableError('the LDAP directory is closed');
    return this.pool.acquire();
  }
}

/** The next page of a paged search, asked for now; `ended` once it is known that no page follows. */
function ahead(pages: AsyncGenerator<SearchResult>): { page: Promise<IteratorResult<SearchResult>>; ended: boolean } {
  const next = { page: pages.next(), ended: false };
  next.page.then(
    (page) => (next.ended = page.done === true),
    // Read by the caller, or dropped with the connection when the caller stopped early.
    () => undefined,
  );
  return next;
}

/** An ldapts entry as autolist's Entry: lower-cased names, string values, no empty attributes. */
function toEntry(raw: LdaptsEntry): Entry {
  const attributes: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name === 'dn') continue;
    const values = (Array.isArray(value) ? value : [value]).map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : v));
    if (values.length === 0) continue;
    const key = name.toLowerCase();
    attributes[key] = [...(attributes[key] ?? []), ...values];
  }
  return { dn: raw.dn, attributes };
}
