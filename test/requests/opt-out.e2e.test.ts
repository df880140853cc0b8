/**
 * Opting out and in end to end: `autolist serve` relaying to Postfix's smtp-sink, swaks as the
 * client, the HTTP front for the one-click link and the members; the test family `equipe`
 * (unsubscribe: anyone; subscribe: people of the directory who are not civil). A member who
 * unsubscribes, by the one-click POST or by mail confirmed by a reply, gets no further copy and can
 * rejoin; a forged or expired link does nothing; GET of the link unsubscribes nobody.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TokenSigner } from '../../src/links/index.js';
import { familiesWith } from '../harness/families.js';
import { ServeProcess } from '../harness/serve.js';
import { CHEF, demoAddresses, message, swaks } from '../smtp/helpers.js';
import { SmtpSink } from '../smtp/smtp-sink.js';

const LIST = 'equipe-2a@lists.example.org';
const REQUEST = 'equipe-2a-request@lists.example.org';
const SECRET = 'a-link-secret-of-the-test-that-is-long-enough';
const PUBLIC_URL = 'https://lists.example.test';
const person = (a: Map<string, string[]>): boolean => (a.get('objectclass') ?? []).some((c) => c.toLowerCase() === 'inetorgperson');
/** The members of equipe-2a in the demo directory: every person of département 2A. */
const MEMBERS = demoAddresses((a) => person(a) && (a.get('departmentnumber')?.[0] ?? '').toLowerCase() === '2a');

describe('opting out and in over SMTP and HTTP (autolist serve, smtp-sink)', () => {
  let dir: string;
  let sink: SmtpSink;
  let serve: ServeProcess;
  let families: ReturnType<typeof familiesWith>;
  let http: string;
  let smtpPort: number;
  let sent = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-opt-'));
    sink = await SmtpSink.start();
    families = familiesWith([], ['equipe']);
    serve = ServeProcess.inFolder(dir, { AUTOLIST_FAMILIES_DIR: families.dir, AUTOLIST_RELAY_URL: sink.url, AUTOLIST_PUBLIC_URL: PUBLIC_URL, AUTOLIST_LINK_SECRET: SECRET });
    const fronts = await serve.fronts();
    http = fronts.http as string;
    smtpPort = Number(new URL(fronts.smtp as string).port);
  });
  after(async () => {
    await serve.stop();
    await sink.dispose();
    families.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sends a message to the list; returns who got a copy, and each one's copy. */
  const post = async (): Promise<Map<string, string>> => {
    sink.clear();
    const data = message({ From: CHEF, To: LIST, Subject: `Note ${++sent}`, 'Message-ID': `<note-${sent}-${Date.now()}@example.org>` }, 'Bonjour.');
    const result = await swaks(smtpPort, { from: CHEF, to: LIST, data });
    assert.match(result.lastReply, /^250 /, result.transcript);
    const copies = new Map<string, string>();
    for (const t of sink.transactions()) for (const r of t.recipients) copies.set(r, t.message);
    return copies;
  };
  /** Mails the request address; returns the robot's answer as the sink got it (headers unfolded). */
  const ask = async (from: string, subject: string): Promise<string> => {
    sink.clear();
    const result = await swaks(smtpPort, { from, to: REQUEST, data: message({ From: from, To: REQUEST, Subject: subject }, '') });
    assert.match(result.lastReply, /^250 /, result.transcript);
    const [answer, ...more] = sink.transactions();
    assert.ok(answer && more.length === 0, 'one answer');
    assert.deepEqual(answer.recipients, [from]);
    assert.equal(answer.sender, '');
    return answer.message.replace(/\n[ \t]+/g, ' ');
  };
  /** Asks, then replies to the confirmation (its subject after Re:); returns the answer to the reply. */
  const confirmed = async (from: string, command: string): Promise<string> => {
    const confirmation = await ask(from, command);
    const subject = /^Subject: (Confirm: \S+)$/m.exec(confirmation)?.[1];
    assert.ok(subject, confirmation);
    return ask(from, `Re: ${subject}`);
  };
  const oneClickUrl = (copy: string): string => {
    const header = /^List-Unsubscribe: <([^>]+)>, <mailto:equipe-2a-request@lists\.example\.org\?subject=unsubscribe>$/m.exec(copy.replace(/\n[ \t]+/g, ' '));
    assert.ok(header, copy);
    const url = header[1] as string;
    assert.ok(url.startsWith(`${PUBLIC_URL}/u/`), url);
    return `${http}${url.slice(PUBLIC_URL.length)}`;
  };
  const membership = async (address: string): Promise<{ member: boolean; override: { kind: string; how: string; rule: string } | null; reasons: string[] }> =>
    (await fetch(`${http}/v1/lists/${LIST}/members/${address}`)).json() as never;

  it('gives each member a copy of their own, with a one-click link (RFC 8058) and the mailto', async () => {
    assert.ok(MEMBERS.length > 3, 'the list has members');
    const copies = await post();
    assert.deepEqual([...copies.keys()].sort(), MEMBERS);
    assert.equal(sink.transactions().length, MEMBERS.length, 'a transaction per member');
    const urls = new Set([...copies.values()].map(oneClickUrl));
    assert.equal(urls.size, MEMBERS.length, 'each member their own link');
    for (const copy of copies.values()) assert.match(copy, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
  });

  it('unsubscribes by the one-click POST, not by a GET; the member gets no further copy; a forged or expired link does nothing', async () => {
    const [member] = MEMBERS as [string];
    const url = oneClickUrl((await post()).get(member) as string);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post">/);
    assert.equal((await membership(member)).member, true, 'a GET unsubscribes nobody');

    const token = url.slice(url.lastIndexOf('/') + 1);
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const refused = await fetch(`${http}/u/${forged}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { code: string }).code, 'TOKEN_INVALID');
    const expiredToken = new TokenSigner(SECRET).sign('unsubscribe', { l: LIST, a: member }, new Date(Date.now() - 1000));
    const expired = await fetch(`${http}/u/${expiredToken}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(expired.status, 410);
    assert.equal(((await expired.json()) as { code: string }).code, 'TOKEN_EXPIRED');
    assert.equal((await membership(member)).member, true);

    const done = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /is unsubscribed from equipe-2a@lists\.example\.org/);
    const explained = await membership(member);
    assert.equal(explained.member, false);
    assert.equal(explained.override?.kind, 'exclusion');
    assert.equal(explained.override?.how, 'one-click');
    assert.match(explained.reasons[0] as string, /unsubscribed/);
    const next = await post();
    assert.ok(!next.has(member), 'no further copy');
    assert.equal(next.size, MEMBERS.length - 1);
  });

  it('unsubscribes by mail once the reply confirms it; the member gets no further copy', async () => {
    const member = MEMBERS[1] as string;
    const confirmation = await ask(member, 'unsubscribe');
    assert.equal((await membership(member)).member, true, 'nothing done before the reply');
    const subject = /^Subject: (Confirm: \S+)$/m.exec(confirmation)?.[1];
    const answer = await ask(member, `Re: ${subject}`);
    assert.match(answer, /You are no longer a member of equipe-2a@lists\.example\.org/);
    assert.ok(!(await post()).has(member), 'no further copy');
  });

  it('lets both rejoin: by mail (subscribe, confirm), and by an administrator undoing the exclusion; both get copies again', async () => {
    const [byMail, byAdmin] = MEMBERS as [string, string];
    assert.match(await confirmed(byMail, 'subscribe'), /You are a member of equipe-2a@lists\.example\.org again\./);
    const listed = (await (await fetch(`${http}/v1/lists/${LIST}/overrides`)).json()) as { overrides: Array<{ address: string; kind: string; how: string }> };
    assert.deepEqual(
      listed.overrides.map((o) => [o.address, o.kind, o.how]),
      [[byAdmin, 'exclusion', 'mail']],
    );
    const undone = await fetch(`${http}/v1/lists/${LIST}/overrides/${byAdmin}`, { method: 'DELETE' });
    assert.equal(undone.status, 200);
    assert.equal((await fetch(`${http}/v1/lists/${LIST}/overrides/${byAdmin}`, { method: 'DELETE' })).status, 404);
    const copies = await post();
    assert.deepEqual([...copies.keys()].sort(), MEMBERS, 'everyone again');
  });

  it('adds someone the subscribe rules admit, who then gets copies, and shows why in the members route', async () => {
    const newcomer = demoAddresses((a) => person(a) && (a.get('departmentnumber')?.[0] ?? '') === '56' && (a.get('employeetype')?.[0] ?? '') === 'militaire')[0] as string;
    assert.match(await confirmed(newcomer, 'subscribe'), /You are now a member of equipe-2a@lists\.example\.org\./);
    const explained = await membership(newcomer);
    assert.equal(explained.member, true);
    assert.equal(explained.override?.kind, 'addition');
    assert.match(explained.override?.rule ?? '', /^equipe\/equipe\.charter:\d+$/);
    assert.ok((await post()).has(newcomer));
    const page = (await (await fetch(`${http}/v1/lists/${LIST}/members?limit=10000`)).json()) as { members: string[] };
    assert.ok(page.members.includes(newcomer));
  });
});
