/** The SMTP front's configured limits: recipients per message, connections, an idle client. */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CHEF, LIST, startFront, type Front } from './helpers.js';

/** A raw SMTP client: sends lines, reads the server's next reply. */
class RawClient {
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
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(socket)));
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

  async ask(line: string): Promise<string | undefined> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** QUIT, then waits until the server has closed the connection. */
  async quit(): Promise<void> {
    assert.match((await this.ask('QUIT')) ?? '', /^221 /);
    assert.equal(await this.reply(), undefined);
  }
}

/** A connection the server greets with 220 (it may still be counting one just closed: asked again, for a few seconds at most). */
async function greeted(port: number): Promise<RawClient> {
  for (let attempt = 1; ; attempt++) {
    const client = await RawClient.open(port);
    const greeting = (await client.reply()) ?? '';
    if (greeting.startsWith('220 ')) return client;
    client.socket.destroy();
    if (attempt === 50) assert.fail(`no greeting but ${greeting}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the SMTP front’s limits', () => {
  let f: Front;
  before(async () => {
    f = await startFront({ AUTOLIST_SMTP_MAX_RECIPIENTS: '1', AUTOLIST_SMTP_MAX_CONNECTIONS: '1', AUTOLIST_SMTP_COMMAND_TIMEOUT_MS: '1000' });
  });
  after(() => f.close());

  it('refuses recipients past AUTOLIST_SMTP_MAX_RECIPIENTS with a 4xx, keeping the first', async () => {
    const client = await greeted(f.front.address.port);
    assert.match((await client.ask('EHLO client.test')) ?? '', /^250 /);
    assert.match((await client.ask(`MAIL FROM:<${CHEF}>`)) ?? '', /^250 /);
    assert.match((await client.ask(`RCPT TO:<${LIST}>`)) ?? '', /^250 /);
    assert.match((await client.ask('RCPT TO:<liste.chefs-2b@lists.example.org>')) ?? '', /^452 /);
    await client.quit();
  });

  it('answers a connection past AUTOLIST_SMTP_MAX_CONNECTIONS with 421, and serves again once one is free', async () => {
    const held = await greeted(f.front.address.port);
    const extra = await RawClient.open(f.front.address.port);
    assert.match((await extra.reply()) ?? '', /^421 /);
    await held.quit();
    const next = await greeted(f.front.address.port);
    assert.match((await next.ask('HELO client.test')) ?? '', /^250 /);
    await next.quit();
  });

  it('closes a connection idle past AUTOLIST_SMTP_COMMAND_TIMEOUT_MS with a 421', async () => {
    const idle = await greeted(f.front.address.port);
    assert.match((await idle.reply()) ?? '', /^421 /);
    assert.equal(await idle.reply(), undefined, 'then the connection is closed');
  });
});
