/**
 * What the moderation tests share: `autolist serve` over the demo directory relaying to Postfix's
 * smtp-sink, families written here that moderate mail from outside the directory by their owners
 * and mail from people of the directory by the chefs of the département, swaks as the client, and
 * ways to read what the sink got (notifications, their links and tokens, copies per member).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import libmime from 'libmime';
import { familiesWith } from '../harness/families.js';
import { ServeProcess } from '../harness/serve.js';
import { waitUntil } from '../harness/wait.js';
import { demoAddresses, message, swaks } from '../smtp/helpers.js';
import { type DumpedTransaction, SmtpSink } from '../smtp/smtp-sink.js';

export const SECRET = 'a-link-secret-of-the-moderation-test-long-enough';
export const PUBLIC_URL = 'https://lists.example.test';
export const ADMIN = 'admin-token-of-the-moderation-test';
export const AUTHOR = 'auteur@example.net';
const person = (a: Map<string, string[]>): boolean => (a.get('objectclass') ?? []).some((c) => c.toLowerCase() === 'inetorgperson');
const of56 = (a: Map<string, string[]>): boolean => (a.get('departmentnumber')?.[0] ?? '') === '56';
/** The members of NAME-56: every person of département 56 with an address. */
export const MEMBERS = demoAddresses((a) => person(a) && of56(a));
/** The moderators of a message from a person of the directory to NAME-56. */
export const CHEFS = demoAddresses((a) => person(a) && of56(a) && /^chef$/i.test(a.get('title')?.[0] ?? ''));
export const GENDARME = demoAddresses((a) => person(a) && of56(a) && !/^chef$/i.test(a.get('title')?.[0] ?? ''))[0] as string;

/** A family NAME whose lists NAME-DD moderate: `moderate by "liste.chefs-{department}"` for the directory's people, the owner otherwise. */
export interface ModeratedFamily {
  name: string;
  language: 'en' | 'fr';
  /** moderation-expiry */
  expiry: string;
}

function writeFamily(dir: string, { name, language, expiry }: ModeratedFamily): void {
  mkdirSync(join(dir, name));
  const charter = `family ${name}
domain lists.example.org
base "dc=example,dc=org"
description "${name} {department}"
owners owner.${name}@example.org
language ${language}
moderation-expiry ${expiry}
senders any
<address> ::= '${name}-' <department>
<department> ::= /[0-9][0-9]/ in 1..19, 21..95 filter (&(objectClass=inetOrgPerson)(departmentNumber={text}))
rights send
  allow if @commandement
  moderate by "liste.chefs-{department}" if sender in directory
  otherwise moderate by @owners
`;
  writeFileSync(join(dir, name, `${name}.charter`), charter);
}

/** A mail's text as read (the composer writes it in ASCII): quoted-printable soft breaks and escapes undone as UTF-8, folded headers unfolded. */
export function readable(mail: string): string {
  const bytes = mail.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1')
    .toString('utf8')
    .replace(/\r?\n[ \t]+/g, ' ');
}

/** The Subject of a mail as written (encoded words, folded), as read. */
export function decodedSubject(mail: string): string {
  return libmime.decodeWords((/^Subject: (.*(?:\n[ \t].*)*)/m.exec(mail)?.[1] ?? '').replace(/\r?\n[ \t]+/g, ' ')).trim();
}

/** A moderator's notification as the sink got it: as written (to reply to) and read. */
export interface Notice {
  raw: string;
  text: string;
}

export class ModerationRig {
  private sent = 0;

  private constructor(
    private readonly dir: string,
    readonly sink: SmtpSink,
    private readonly families: ReturnType<typeof familiesWith>,
    private readonly serve: ServeProcess,
    /** http://host:port of the HTTP front. */
    readonly http: string,
    readonly smtpPort: number,
  ) {}

  static async start(families: readonly ModeratedFamily[]): Promise<ModerationRig> {
    assert.ok(MEMBERS.length > CHEFS.length && CHEFS.length > 1 && GENDARME);
    const dir = mkdtempSync(join(tmpdir(), 'autolist-moderation-'));
    const sink = await SmtpSink.start();
    const folder = familiesWith();
    for (const family of families) writeFamily(folder.dir, family);
    const serve = ServeProcess.inFolder(dir, {
      AUTOLIST_FAMILIES_DIR: folder.dir,
      AUTOLIST_RELAY_URL: sink.url,
      AUTOLIST_PUBLIC_URL: PUBLIC_URL,
      AUTOLIST_LINK_SECRET: SECRET,
      AUTOLIST_HTTP_ADMIN_TOKEN: ADMIN,
      AUTOLIST_MODERATION_SWEEP_SECONDS: '1',
    });
    const fronts = await serve.fronts();
    return new ModerationRig(dir, sink, folder, serve, fronts.http as string, Number(new URL(fronts.smtp as string).port));
  }

  async dispose(): Promise<void> {
    await this.serve.stop();
    await this.sink.dispose();
    this.families.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** What the sink got for one address. */
  received(address: string): DumpedTransaction[] {
    return this.sink.transactions().filter((t) => t.recipients.includes(address));
  }

  /** What the sink got for one address, read. */
  mailTo(address: string): string[] {
    return this.received(address).map((t) => readable(t.message));
  }

  /** The copies of LIST's mail (sent from LIST-bounces) each address got. */
  copies(list: string): Map<string, number> {
    const bounces = list.replace('@', '-bounces@');
    const counts = new Map<string, number>();
    for (const t of this.sink.transactions().filter((t) => t.sender === bounces)) for (const r of t.recipients) counts.set(r, (counts.get(r) ?? 0) + 1);
    return counts;
  }

  /** Fails unless the list's mail reached every member of département 56 exactly once. */
  assertEveryMemberOnce(list: string): void {
    const copies = this.copies(list);
    assert.deepEqual([...copies.keys()].sort(), [...MEMBERS].sort());
    assert.ok(
      [...copies.values()].every((n) => n === 1),
      JSON.stringify([...copies]),
    );
  }

  /** Sends a message to LIST (plain text: BODY, or a line of its own); returns the 250's text and, per moderator, their notification once every one came. */
  async post(from: string, list: string, moderators: readonly string[], body?: string): Promise<{ reply: string; notices: Map<string, Notice>; subject: string }> {
    this.sink.clear();
    const subject = `Note ${++this.sent}`;
    const data = message({ From: from, To: list, Subject: subject, 'Message-ID': `<note-${this.sent}-${Date.now()}@example.net>` }, body ?? `Bonjour, ceci est la note ${this.sent}.`);
    const result = await swaks(this.smtpPort, { from, to: list, data });
    assert.match(result.lastReply, /^250 /, result.transcript);
    await waitUntil(() => moderators.every((m) => this.received(m).length > 0), 'every moderator is told');
    const notices = new Map(
      moderators.map((m) => {
        const raw = (this.received(m)[0] as DumpedTransaction).message;
        return [m, { raw, text: readable(raw) }];
      }),
    );
    assert.equal(this.sink.transactions().length, moderators.length, 'nothing else went out: the message is held');
    return { reply: result.lastReply, notices, subject };
  }

  /** The path of a notification's link (`moderation/TOKEN` or `moderation/list/TOKEN`). */
  static linkOf(notice: string, kind: 'message' | 'list' = 'message'): string {
    const path = new RegExp(`${PUBLIC_URL}/(moderation/${kind === 'list' ? 'list/' : ''}[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`).exec(notice)?.[1];
    assert.ok(path, notice);
    return path;
  }

  /** The token of a notification's link to its message. */
  static tokenOf(notice: string): string {
    return ModerationRig.linkOf(notice).slice('moderation/'.length);
  }

  api(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.http}/v1${path}`, init);
  }

  decide(token: string, decision: 'approve' | 'reject', reason?: string): Promise<Response> {
    return this.api(`/moderation/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision, ...(reason === undefined ? {} : { reason }) }) });
  }
}
