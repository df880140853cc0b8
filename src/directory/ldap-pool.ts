import type { Client } from 'ldapts';
import { Pool, TimeoutError } from 'tarn';
import { DirectoryTimeoutError } from './errors.js';
import { connectBound, drop, type ConnectOptions } from './ldap-connect.js';
import { toDirectoryError } from './ldap-errors.js';

/**
 * A few bound connections reused across searches. A connection that failed is dropped by its user
 * (discard); one the server closed while idle fails validation: either way the next acquire binds
 * a fresh one.
 */
export class ConnectionPool {
  private readonly pool: Pool<Client>;
  private readonly acquireTimeoutMs: number;
  /** Connections given back by discard(): they may still look bound while their socket closes. */
  private readonly discarded = new WeakSet<Client>();

  constructor(options: ConnectOptions & { size: number }) {
    const createTimeoutMs = options.urls.length * (options.connectTimeoutMs + options.timeoutMs) + 1000;
    this.acquireTimeoutMs = createTimeoutMs + options.timeoutMs;
    this.pool = new Pool<Client>({
      create: () => connectBound(options),
      destroy: drop,
      validate: (client) => client.isBound && !this.discarded.has(client),
      min: 0,
      max: options.size,
      createTimeoutMillis: createTimeoutMs,
      acquireTimeoutMillis: this.acquireTimeoutMs,
      idleTimeoutMillis: 30_000,
      propagateCreateError: true,
    });
  }

  async acquire(): Promise<Client> {
    try {
      return await this.pool.acquire().promise;
    } catch (error) {
      if (error instanceof TimeoutError) {
        throw new DirectoryTimeoutError(`no directory connection within ${this.acquireTimeoutMs} ms`, { cause: error });
      }
      throw toDirectoryError(error, 'connect');
    }
  }

  release(client: Client): void {
    this.pool.release(client);
  }

  /**
   * Gives back a connection that must not be reused: it is closed now and replaced on next use.
   * A second discard of the same connection (a deadline, then the search's own cleanup) does nothing.
   */
  discard(client: Client): void {
    if (this.discarded.has(client)) return;
    this.discarded.add(client);
    drop(client);
    this.pool.release(client);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
