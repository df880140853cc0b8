import { connect, createServer, type Server, type Socket } from 'node:net';
import { Transform } from 'node:stream';

/**
 * A TCP relay on loopback in front of a real server: it counts the connections clients open and
 * can cut them all at once, as a firewall or a server's idle timeout does, or hold the server's
 * answers back partway, as a slow network does.
 */
export class TcpProxy {
  /** Connections accepted since the start. */
  accepted = 0;
  /** Bytes of the server's answers relayed to clients, all connections together. */
  relayedToClients = 0;
  private readonly pairs = new Set<[Socket, Socket]>();
  private holdAfter: number | undefined;
  private readonly held: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    server.on('connection', (client) => proxy.relay(client, targetPort));
    return proxy;
  }

  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  /** Connections open now. */
  get open(): number {
    return this.pairs.size;
  }

  /** Stops relaying the server's answers once `bytes` of them have reached clients, until release(). */
  holdRepliesAfter(bytes: number): void {
    this.holdAfter = bytes;
  }

  /** Relays the answers held back, and all that follow. */
  release(): void {
    this.holdAfter = undefined;
    for (const relay of this.held.splice(0)) relay();
  }

  /** Cuts every open connection. */
  dropAll(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, targetPort: number): void {
    this.accepted++;
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // Without Nagle's algorithm, as LDAP clients and servers run: small requests are not held back.
    for (const socket of pair) socket.setNoDelay(true).on('error', end).on('close', end);
    client.pipe(upstream);
    // A chunk held back holds the ones after it too: the stream waits for its callback.
    const answers = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        const relay = (): void => {
          if (client.destroyed) return done();
          this.relayedToClients += chunk.length;
          done(null, chunk);
        };
        if (this.holdAfter !== undefined && this.relayedToClients >= this.holdAfter) this.held.push(relay);
        else relay();
      },
    });
    upstream.pipe(answers).pipe(client);
  }
}
