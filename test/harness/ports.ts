/** Loopback ports for the servers the tests start. */
import { connect, createServer } from 'node:net';

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Whether a server answers on the port as expected: connects, sends `hello` if given, and tests the
 * first data received; false on refusal or after a second of silence.
 */
export function answers(port: number, expected: (data: Buffer) => boolean, hello?: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    if (hello) socket.once('connect', () => socket.write(hello));
    socket.once('data', (data) => done(expected(data)));
  });
}
