import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { D } from '../http/helpers.js';
export { testServices } from '../harness/services.js';

/** A server that stops answering fails its suite instead of stalling the run; not a speed check. */
export const HANG_GUARD = { timeout: 60_000 };

/** Postfix's postmap (Debian package postfix, installed by test/install-peers.sh). */
const POSTMAP = existsSync('/usr/sbin/postmap') ? '/usr/sbin/postmap' : 'postmap';

/** An empty Postfix configuration folder: postmap needs a main.cf, none is installed system-wide. */
let configDir: string | undefined;

export interface PostmapResult {
  /** 0 found, 1 not found or failed (see stderr). */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `postmap -q KEY socketmap:inet:127.0.0.1:PORT:MAP`, Postfix's own socketmap client; with
 * `keys`, `postmap -q -` reads them from its standard input and asks them over one connection.
 * Asynchronous: the server answering it runs in this process.
 */
export function postmap(port: number, query: { key: string } | { keys: string[] }, map = 'lists'): Promise<PostmapResult> {
  if (configDir === undefined) {
    configDir = mkdtempSync(join(tmpdir(), 'autolist-postfix-'));
    const mainCf = join(configDir, 'main.cf');
    writeFileSync(mainCf, '');
    // Postfix waits (up to 2 s) for a main.cf modified in the last seconds to settle: make it old.
    utimesSync(mainCf, 0, 0);
  }
  const table = `socketmap:inet:127.0.0.1:${port}:${map}`;
  const args = ['-c', configDir, '-q', 'key' in query ? query.key : '-', table];
  return new Promise((resolve, reject) => {
    const child = execFile(POSTMAP, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : undefined;
      if (code === undefined) reject(error);
      else resolve({ code, stdout, stderr });
    });
    child.stdin?.end('keys' in query ? `${query.keys.join('\n')}\n` : '');
  });
}

/** The attributes Postfix's smtpd sends at RCPT time (SMTPD_POLICY_README), overridden by `attributes`. */
export function rcptRequest(attributes: Record<string, string>): Record<string, string> {
  return {
    request: 'smtpd_access_policy',
    protocol_state: 'RCPT',
    protocol_name: 'ESMTP',
    // A client of this machine (a webmail, say): trusted by default, it vouches for its senders.
    // Tests of sender verification name clients of their own.
    client_address: '127.0.0.1',
    client_name: 'mail.example.org',
    client_port: '40512',
    reverse_client_name: 'mail.example.org',
    server_address: '127.0.0.1',
    server_port: '25',
    helo_name: 'mail.example.org',
    sender: '',
    recipient: '',
    recipient_count: '0',
    queue_id: '',
    instance: '123.4567abcd.89ef.0',
    size: '0',
    etrn_domain: '',
    stress: '',
    sasl_method: '',
    sasl_username: '',
    sasl_sender: '',
    ccert_subject: '',
    ccert_issuer: '',
    ccert_fingerprint: '',
    ccert_pubkey_fingerprint: '',
    encryption_protocol: '',
    encryption_cipher: '',
    encryption_keysize: '0',
    policy_context: '',
    compatibility_level: '3.6',
    mail_version: '3.7.11',
    ...attributes,
  };
}

/** A policy client speaking to the server as smtpd does: one request, then its reply, on a kept connection. */
export class PolicyClient {
  private received = '';
  private waiting: (() => void) | undefined;
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.received += text;
      this.waiting?.();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('close', () => this.waiting?.());
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<PolicyClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new PolicyClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one request and returns the action answered, or undefined if the server closed the connection instead. */
  async ask(attributes: Record<string, string>): Promise<string | undefined> {
    this.send(
      `${Object.entries(attributes)
        .map(([name, value]) => `${name}=${value}\n`)
        .join('')}\n`,
    );
    return this.reply();
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** The next reply (`action=...` then an empty line), or undefined once the connection is closed. */
  async reply(): Promise<string | undefined> {
    for (;;) {
      const end = this.received.indexOf('\n\n');
      if (end !== -1) {
        const reply = this.received.slice(0, end);
        this.received = this.received.slice(end + 2);
        const match = /^action=(.*)$/.exec(reply);
        if (!match) throw new Error(`not a policy reply: ${JSON.stringify(reply)}`);
        return match[1];
      }
      if (this.socket.destroyed || this.socket.readableEnded) return undefined;
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
