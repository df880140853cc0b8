import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Services } from '../../src/services.js';
import { startSmtp, type SmtpFront } from '../../src/smtp/index.js';
import { DEMO_OPTIONS, generateDirectory, type GenerateOptions } from '../fixtures/generate-directory.js';
import { testServices, type ServicesOptions } from '../harness/services.js';

const run = promisify(execFile);

export interface Front {
  front: SmtpFront;
  services: Services;
  /** The outbox folder (used when no AUTOLIST_RELAY_URL is given). */
  outbox: string;
  close(): Promise<void>;
}

/** autolist's SMTP front on a free loopback port, with the demo directory unless told otherwise. */
export async function startFront(env: Record<string, string> = {}, options: Pick<ServicesOptions, 'directory' | 'logger'> = {}): Promise<Front> {
  const dir = mkdtempSync(join(tmpdir(), 'autolist-smtp-'));
  const outbox = join(dir, 'outbox');
  const smtp = {
    AUTOLIST_SMTP_PORT: '0',
    AUTOLIST_SMTP_HOSTNAME: 'lists.test',
    AUTOLIST_OUTBOX_DIR: outbox,
    AUTOLIST_RELAY_STATE_DIR: join(dir, 'state'),
    AUTOLIST_BOUNCES_FILE: join(dir, 'bounces.log'),
  };
  const services = await testServices({ ...options, env: { ...smtp, ...env } });
  const front = await startSmtp(services);
  return {
    front,
    services,
    outbox,
    close: async () => {
      await front.close();
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SwaksResult {
  /** swaks' exit code: 0 delivered; 23 to 29 a reply refused something (see swaks(1)). */
  code: number;
  transcript: string;
  /** The server's last reply line (`550 5.7.1 ...`). */
  lastReply: string;
}

/** Debian's swaks as the SMTP client; DATA sent exactly as given, then CRLF (the caller ends it with CRLF and a dot). */
export async function swaks(port: number, args: { from: string; to: string | string[]; data?: string; quitAfter?: string; extra?: string[] }): Promise<SwaksResult> {
  const argv = ['--server', '127.0.0.1', '--port', String(port), '--helo', 'client.test', '--from', args.from, '--to', ([] as string[]).concat(args.to).join(',')];
  const dir = mkdtempSync(join(tmpdir(), 'autolist-swaks-'));
  if (args.data !== undefined) {
    writeFileSync(join(dir, 'data'), args.data);
    argv.push('--no-data-fixup', '--data', `@${join(dir, 'data')}`);
  }
  if (args.quitAfter) argv.push('--quit-after', args.quitAfter);
  argv.push('--timeout', '60', ...(args.extra ?? []));
  let transcript: string;
  let code = 0;
  try {
    transcript = (await run('swaks', argv, { encoding: 'utf8', timeout: 120_000 })).stdout;
  } catch (error) {
    const failure = error as { code?: number; stdout?: string };
    code = failure.code ?? -1;
    transcript = failure.stdout ?? '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Replies: <- (<~ once TLS is on), errors <** (<~*).
  const reply = /^(<-|<\*\*|<~|<~\*) +/;
  const replies = transcript.split('\n').filter((l) => reply.test(l) && /^\S+ +\d{3}[ -]/.test(l));
  const last = [...replies].reverse().find((l) => !/ 221 /.test(l)) ?? '';
  return { code, transcript, lastReply: last.replace(reply, '') };
}

/** The lines of a header field in a message as relayed, each unfolded onto one line. */
export function headerLines(eml: Buffer, name: string): string[] {
  const head = eml.toString('utf8').split('\r\n\r\n')[0] as string;
  return head
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`));
}

/** A message with CRLF line ends, up to the final dot of DATA (swaks sends the line end after it). */
export function message(headers: Record<string, string> | Array<[string, string]>, body: string): string {
  const head = (Array.isArray(headers) ? headers : Object.entries(headers)).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return `${head}\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n.`;
}

/** The addresses of the demo directory (demo/directory.ldif) whose entry passes the test. */
export function demoAddresses(test: (attributes: Map<string, string[]>) => boolean): string[] {
  return directoryAddresses(DEMO_OPTIONS, test);
}

/** The addresses (lower case, sorted) of a generated directory whose entry passes the test; attribute names in lower case. */
export function directoryAddresses(options: GenerateOptions, test: (attributes: Map<string, string[]>) => boolean): string[] {
  const addresses: string[] = [];
  for (const entry of generateDirectory(options)) {
    const attributes = new Map(entry.attributes.map(([name, values]) => [name.toLowerCase(), values]));
    if (test(attributes)) addresses.push(...(attributes.get('mail') ?? []).map((m) => m.toLowerCase()));
  }
  return addresses.sort();
}

/** The list most tests write to, a chef who may write to it, and its members in the demo directory. */
export const LIST = 'liste.chefs-2a@lists.example.org';
export const CHEF = 'chef.ajaccio@example.org';
export const chefs2a = demoAddresses((a) => /^chef$/i.test(a.get('title')?.[0] ?? '') && /^2a$/i.test(a.get('departmentnumber')?.[0] ?? ''));

/** Deliveries where each address received the message once. */
export const once = (addresses: string[]): Map<string, number> => new Map(addresses.map((a) => [a, 1]));

/** The batches written to an outbox folder: each envelope with its message. */
export function outboxBatches(outbox: string): Array<{ sender: string; recipients: string[]; message: Buffer }> {
  let names: string[];
  try {
    names = readdirSync(outbox);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => {
      const envelope = JSON.parse(readFileSync(join(outbox, n), 'utf8')) as { sender: string; recipients: string[] };
      return { ...envelope, message: readFileSync(join(outbox, n.replace(/\.json$/, '.eml'))) };
    });
}

/** A DSN as Postfix writes one to a list's bounce address: one recipient failed for good, one delayed. */
export function dsn(to: string, failed: string, delayed: string): string {
  const lines = [
    'From: MAILER-DAEMON@mx.example.org (Mail Delivery System)',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
    '',
    '--B1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    "I'm sorry to have to inform you that your message could not be delivered.",
    '',
    '--B1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.org',
    'Arrival-Date: Mon, 23 Nov 2026 10:00:00 +0000',
    '',
    `Final-Recipient: rfc822; ${failed}`,
    `Original-Recipient: rfc822;${failed}`,
    'Action: failed',
    'Status: 5.1.1',
    'Remote-MTA: dns; mail.example.org',
    `Diagnostic-Code: smtp; 550 5.1.1 <${failed}>: Recipient address rejected:`,
    '    User unknown in local recipient table',
    '',
    `Final-Recipient: rfc822; ${delayed}`,
    'Action: delayed',
    'Status: 4.4.1',
    '',
    '--B1',
    'Content-Type: text/rfc822-headers',
    '',
    'From: chef.ajaccio@example.org',
    'Subject: [chefs-2a] x',
    '',
    '--B1--',
    '.',
  ];
  return lines.join('\r\n');
}
