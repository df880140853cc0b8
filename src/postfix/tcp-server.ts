import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Logger } from '../log.js';

export interface ServerAddress {
  host: string;
  port: number;
}

export interface RunningServer {
  address: ServerAddress;
  /** Stops listening, lets the requests under way be answered, closes every connection. */
  close(): Promise<void>;
}

/** Splits a connection's bytes into requests; throws PostfixProtocolError on malformed or oversized input. */
export interface RequestDecoder<R> {
  push(chunk: Buffer): R[];
}

export interface RequestServerOptions<R> {
  /** Names the server in logs. */
  name: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  idleTimeoutMs: number;
  maxConnections: number;
  /** The server's logger (a child naming the front). */
  logger: Logger;
  decoder: () => RequestDecoder<R>;
  /** The reply to one request; must not throw. */
  answer: (request: R, peer: string) => Promise<string | Buffer>;
}

/**
 * A TCP server for a request/reply protocol over persistent connections: requests are answered
 * one at a time and in order (reading pauses meanwhile, so a peer cannot queue unbounded work),
 * idle connections are closed, connections beyond the cap are dropped, and a peer breaking the
 * protocol loses its connection, never the process.
 */
export async function startRequestServer<R>(options: RequestServerOptions<R>): Promise<RunningServer> {
  const { logger } = options;
  const connections = new Set<{ shutdown(): void }>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const connection = serveConnection(socket, options, logger);
    connections.add(connection);
    socket.once('close', () => connections.delete(connection));
  });
  server.maxConnections = options.maxConnections;
  server.on('drop', (peer) => logger.warn({ peer: peer?.remoteAddress, maxConnections: options.maxConnections }, 'connection refused: too many connections'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'server error'));
  const info = server.address() as AddressInfo;
  const address = { host: info.address, port: info.port };
  logger.info({ address }, `${options.name} listening`);
  let closed: Promise<void> | undefined;
  return {
    address,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of connections) connection.shutdown();
      });
      return closed;
    },
  };
}

function serveConnection<R>(socket: Socket, options: RequestServerOptions<R>, logger: Logger): { shutdown(): void } {
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  const decoder = options.decoder();
  const queue: R[] = [];
  let busy = false;
  // Set when the peer has finished sending or the server closes: end once the queue is answered.
  let ending = false;

  const finish = (): void => {
    if (!socket.destroyed) socket.end(() => socket.destroy());
  };
  const drain = async (): Promise<void> => {
    busy = true;
    socket.pause();
    for (let request = queue.shift(); request !== undefined && !socket.destroyed; request = queue.shift()) {
      let reply: string | Buffer;
      try {
        reply = await options.answer(request, peer);
      } catch (error) {
        logger.error({ peer, err: error }, 'request failed: connection closed');
        socket.destroy();
        return;
      }
      if (!socket.destroyed) socket.write(reply);
    }
    busy = false;
    if (ending) finish();
    else socket.resume();
  };

  socket.setTimeout(options.idleTimeoutMs);
  socket.on('timeout', () => {
    if (busy) return;
    logger.debug({ peer }, 'idle connection closed');
    socket.destroy();
  });
  socket.on('error', (error) => logger.debug({ peer, err: error }, 'connection error'));
  socket.on('data', (chunk: Buffer) => {
    try {
      for (const request of decoder.push(chunk)) queue.push(request);
    } catch (error) {
      logger.warn({ peer, reason: (error as Error).message }, 'protocol error: connection closed');
      socket.destroy();
      return;
    }
    if (queue.length > 0 && !busy) void drain();
  });
  socket.on('end', () => {
    ending = true;
    if (!busy) finish();
  });
  return {
    shutdown() {
      ending = true;
      if (!busy) socket.destroy();
    },
  };
}
