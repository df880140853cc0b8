/** A raw SMTP client over a real socket: sends lines as written, reads the server's replies one by one. */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { waitUntil } from './wait.js';

export class RawClient {
  private buffer = '';
  private waiting: (() => void) | undefined;
  private closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.buffer += text;
      this.waiting?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
    // A reset by the server ends the dialogue like a close.
    socket.on('error', () => undefined);
  }

  /** A connection to 127.0.0.1:port, from `localAddress` (another loopback address: another client) when given. */
  static open(port: number, localAddress?: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ...(localAddress === undefined ? {} : { localAddress }) }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** The next complete reply (its last line), or undefined once the server closed the connection. */
  async reply(): Promise<string | undefined> {
    for (;;) {
      const end = /^\d{3} .*\r\n/m.exec(this.buffer);
      if (end) {
        this.buffer = this.buffer.slice(end.index + end[0].length);
        return end[0].trimEnd();
      }
      if (this.closed) return undefined;
      await new Promise<void>((wake) => (this.waiting = wake));
    }
  }

  /** Sends lines without waiting for their replies (PIPELINING). */
  send(...lines: string[]): void {
    this.socket.write(lines.map((l) => `${l}\r\n`).join(''));
  }

  async ask(line: string): Promise<string | undefined> {
    this.send(line);
    return this.reply();
  }

  /** Every reply until the server closes the connection. */
  async rest(): Promise<string[]> {
    const replies: string[] = [];
    for (let r = await this.reply(); r !== undefined; r = await this.reply()) replies.push(r);
    return replies;
  }

  /** QUIT, then waits until the server has closed the connection. */
  async quit(): Promise<void> {
    assert.match((await this.ask('QUIT')) ?? '', /^221 /);
    assert.equal(await this.reply(), undefined);
  }
}

/** A connection the server greets with 220 (it may still be counting one just closed: asked again, within a bound). */
export async function greeted(port: number, localAddress?: string): Promise<RawClient> {
  let client: RawClient | undefined;
  let greeting = '';
  const greets = async (): Promise<boolean> => {
    client = await RawClient.open(port, localAddress);
    greeting = (await client.reply()) ?? '';
    if (greeting.startsWith('220 ')) return true;
    client.socket.destroy();
    return false;
  };
  await waitUntil(greets, () => `a greeting on port ${port}, not ${greeting}`, { everyMs: 100 });
  return client as RawClient;
}

export interface EnvelopeOptions {
  /** Another loopback address to connect from (another client). */
  localAddress?: string;
  /** Lines sent between EHLO and MAIL FROM, each answered 250 (XFORWARD, say). */
  preamble?: string[];
}

/** A session past EHLO and MAIL FROM, then each RCPT TO asked: the client, and the replies to the RCPTs. */
export async function envelope(port: number, sender: string, recipients: string[] = [], options: EnvelopeOptions = {}): Promise<{ client: RawClient; replies: string[] }> {
  const client = await greeted(port, options.localAddress);
  assert.match((await client.ask('EHLO client.test')) ?? '', /^250 /);
  for (const line of options.preamble ?? []) assert.match((await client.ask(line)) ?? '', /^250 /, line);
  assert.match((await client.ask(`MAIL FROM:<${sender}>`)) ?? '', /^250 /);
  const replies: string[] = [];
  for (const recipient of recipients) replies.push((await client.ask(`RCPT TO:<${recipient}>`)) ?? '');
  return { client, replies };
}

/** DATA with the message (a dot-stuffed text ending in CRLF), then its end; the reply to the end. */
export async function sendData(client: RawClient, text: string | Buffer): Promise<string> {
  assert.match((await client.ask('DATA')) ?? '', /^354 /);
  client.socket.write(Buffer.concat([Buffer.from(text), Buffer.from('.\r\n')]));
  return (await client.reply()) ?? '';
}
