/**
 * Moderation end to end: `autolist serve` over the demo directory relaying to Postfix's smtp-sink,
 * swaks as the client, the HTTP front for the moderators' links and the administrators' routes.
 * Families written here moderate mail from outside the directory by their owners and mail from
 * people of the directory by the chefs of the département (in English and in French, one with an
 * expiry of seconds). A held message approved from the link reaches every member once, however
 * many approve it; a rejected one's author is told the reason; an expired one's author is told;
 * a later decider learns who decided first; every text is in the family's language.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { familiesWith } from '../harness/families.js';
import { ServeProcess } from '../harness/serve.js';
import { waitUntil } from '../harness/wait.js';
import { demoAddresses, message, swaks } from '../smtp/helpers.js';
import { SmtpSink } from '../smtp/smtp-sink.js';

const SECRET = 'a-link-secret-of-the-moderation-test-long-enough';
const PUBLIC_URL = 'https://lists.example.test';
const ADMIN = 'admin-token-of-the-moderation-test';
const AUTHOR = 'auteur@example.net';
const person = (a: Map<string, string[]>): boolean => (a.get('objectclass') ?? []).some((c) => c.toLowerCase() === 'inetorgperson');
const of56 = (a: Map<string, string[]>): boolean => (a.get('departmentnumber')?.[0] ?? '') === '56';
/** The members of NAME-56: every person of département 56 with an address. */
const MEMBERS = demoAddresses((a) => person(a) && of56(a));
const CHEFS = demoAddresses((a) => person(a) && of56(a) && /^chef$/i.test(a.get('title')?.[0] ?? ''));
const GENDARME = demoAddresses((a) => person(a) && of56(a) && !/^chef$/i.test(a.get('title')?.[0] ?? ''))[0] as string;

function writeFamily(dir: string, name: string, language: 'en' | 'fr', expiry: string): void {
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
function readable(mail: string): string {
  const bytes = mail.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1')
    .toString('utf8')
    .replace(/\r?\n[ \t]+/g, ' ');
}

describe('moderation over SMTP and HTTP (autolist serve, smtp-sink)', () => {
  let dir: string;
  let sink: SmtpSink;
  let serve: ServeProcess;
  let families: ReturnType<typeof familiesWith>;
  let http: string;
  let smtpPort: number;
  let sent = 0;

  before(async () => {
    assert.ok(MEMBERS.length > CHEFS.length && CHEFS.length > 0 && GENDARME);
    dir = mkdtempSync(join(tmpdir(), 'autolist-moderation-'));
    sink = await SmtpSink.start();
    families = familiesWith();
    writeFamily(families.dir, 'revue', 'en', '2d');
    writeFamily(families.dir, 'critique', 'fr', '2d');
    writeFamily(families.dir, 'breve', 'fr', '3s');
    writeFamily(families.dir, 'brief', 'en', '3s');
    serve = ServeProcess.inFolder(dir, {
      AUTOLIST_FAMILIES_DIR: families.dir,
      AUTOLIST_RELAY_URL: sink.url,
      AUTOLIST_PUBLIC_URL: PUBLIC_URL,
      AUTOLIST_LINK_SECRET: SECRET,
      AUTOLIST_HTTP_ADMIN_TOKEN: ADMIN,
      AUTOLIST_MODERATION_SWEEP_SECONDS: '1',
    });
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

  /** What the sink got for one address, read. */
  const mailTo = (address: string): string[] =>
    sink
      .transactions()
      .filter((t) => t.recipients.includes(address))
      .map((t) => readable(t.message));

  /** Sends a message to LIST; returns the 250's text and, per moderator, their notification (read) once every one came. */
  const post = async (from: string, list: string, moderators: string[]): Promise<{ reply: string; notices: Map<string, string>; subject: string }> => {
    sink.clear();
    const subject = `Note ${++sent}`;
    const data = message({ From: from, To: list, Subject: subject, 'Message-ID': `<note-${sent}-${Date.now()}@example.net>` }, `Bonjour, ceci est la note ${sent}.`);
    const result = await swaks(smtpPort, { from, to: list, data });
    assert.match(result.lastReply, /^250 /, result.transcript);
    await waitUntil(() => moderators.every((m) => mailTo(m).length > 0), 'every moderator is told');
    const notices = new Map(moderators.map((m) => [m, mailTo(m)[0] as string]));
    assert.equal(sink.transactions().length, moderators.length, 'nothing else went out: the message is held');
    return { reply: result.lastReply, notices, subject };
  };
  const tokenOf = (notice: string): string => {
    const token = new RegExp(`${PUBLIC_URL}/moderation/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`).exec(notice)?.[1];
    assert.ok(token, notice);
    return token;
  };
  const api = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${http}/v1${path}`, init);
  const decide = (token: string, decision: 'approve' | 'reject', reason?: string): Promise<Response> =>
    api(`/moderation/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision, ...(reason === undefined ? {} : { reason }) }) });

  it('holds a moderated message (250 awaiting moderation), tells the owner with the message attached, and approving from the link twice reaches every member once', async () => {
    const { reply, notices, subject } = await post(AUTHOR, 'revue-56@lists.example.org', ['owner.revue@example.org']);
    assert.match(reply, /revue-56@lists\.example\.org: your message awaits moderation/);
    const notice = notices.get('owner.revue@example.org') as string;
    assert.match(notice, /^Subject: To moderate: a message from auteur@example\.net to revue-56@lists\.example\.org \[/m);
    assert.match(notice, /Content-Type: message\/rfc822/);
    assert.match(notice, new RegExp(`Subject: ${subject}`));
    assert.match(notice, /reply to this message, keeping its subject: write approve/);
    const token = tokenOf(notice);
    const view = await api(`/moderation/${token}`);
    assert.equal(view.status, 200);
    const shown = (await view.json()) as { moderator: string; language: string; message: { subject: string; text: string; state: string; sender: string } };
    assert.equal(shown.moderator, 'owner.revue@example.org');
    assert.equal(shown.language, 'en');
    assert.equal(shown.message.subject, subject);
    assert.match(shown.message.text, /ceci est la note/);
    assert.equal(shown.message.state, 'held');
    sink.clear();
    const answers = await Promise.all([decide(token, 'approve'), decide(token, 'approve')]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
    const late = (await answers.find((a) => a.status === 409)?.json()) as { code: string; decidedBy: string; state: string };
    assert.equal(late.code, 'ALREADY_DECIDED');
    assert.equal(late.decidedBy, 'owner.revue@example.org');
    assert.equal(late.state, 'approved');
    // Already relayed when the decision answers.
    const deliveries = sink.deliveries();
    assert.deepEqual([...deliveries.keys()].sort(), [...MEMBERS].sort());
    assert.ok(
      [...deliveries.values()].every((n) => n === 1),
      JSON.stringify([...deliveries]),
    );
    const copy = mailTo(MEMBERS[0] as string)[0] as string;
    assert.match(copy, /^List-Id: /m);
    assert.match(copy, new RegExp(`^Subject: .*${subject}`, 'm'));
    // An administrator coming after is told too, and nothing goes out again.
    const id = (await (await api(`/moderation/${token}`)).json()) as { message: { id: string } };
    const admin = await api(`/held/${id.message.id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(admin.status, 409);
    assert.equal(sink.transactions().length, MEMBERS.length === 0 ? 0 : sink.transactions().length);
    assert.ok([...sink.deliveries().values()].every((n) => n === 1));
  });

  it('tells every chef of the département of a message from a person of the directory; the admin lists it, and a rejection tells the author the reason', async () => {
    const { notices } = await post(GENDARME, 'revue-56@lists.example.org', CHEFS);
    const tokens = [...notices.values()].map(tokenOf);
    assert.equal(new Set(tokens).size, CHEFS.length, 'a token of its own for each moderator');
    const listed = await api('/lists/revue-56@lists.example.org/held', { headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(listed.status, 200);
    const held = (await listed.json()) as { messages: Array<{ sender: string }> };
    assert.ok(held.messages.some((m) => m.sender === GENDARME));
    assert.equal((await api('/lists/revue-56@lists.example.org/held')).status, 401);
    sink.clear();
    const rejected = await decide(tokens[0] as string, 'reject', 'Off topic for this list.');
    assert.equal(rejected.status, 200);
    const told = mailTo(GENDARME);
    assert.equal(told.length, 1);
    assert.match(told[0] as string, /^Subject: Your message to revue-56@lists\.example\.org was rejected$/m);
    assert.match(told[0] as string, /The moderator’s reason: Off topic for this list\./);
    assert.ok(
      MEMBERS.filter((m) => m !== GENDARME).every((m) => mailTo(m).length === 0),
      'no member got it',
    );
    const second = await decide(tokens[1] as string, 'approve');
    assert.equal(second.status, 409);
    assert.equal(((await second.json()) as { decidedBy: string }).decidedBy, CHEFS[0]);
  });

  it('speaks French for a French family: the 250, the notification, the rejection notice', async () => {
    const { reply, notices } = await post(AUTHOR, 'critique-56@lists.example.org', ['owner.critique@example.org']);
    assert.match(reply, /critique-56@lists\.example\.org : votre message attend la mod/);
    const notice = notices.get('owner.critique@example.org') as string;
    assert.match(notice, /a écrit à critique-56@lists\.example\.org/);
    assert.match(notice, /écrivez approuver en première ligne/);
    sink.clear();
    assert.equal((await decide(tokenOf(notice), 'reject', 'Hors sujet.')).status, 200);
    const told = mailTo(AUTHOR)[0] as string;
    assert.match(told, /a été rejeté par un modérateur/);
    assert.match(told, /Le motif du modérateur : Hors sujet\./);
  });

  for (const [family, language, words] of [
    ['brief', 'en', /waited for a moderator’s decision until .*; nobody decided, so it went to nobody/],
    ['breve', 'fr', /a attendu la décision d’un modérateur jusqu’au .* ; personne n’a décidé/],
  ] as const) {
    it(`tells the author of a message nobody decided on once it expires (${language}); its link then says so`, async () => {
      const { notices } = await post(AUTHOR, `${family}-56@lists.example.org`, [`owner.${family}@example.org`]);
      const token = tokenOf(notices.get(`owner.${family}@example.org`) as string);
      await waitUntil(() => mailTo(AUTHOR).length > 0, 'the author is told of the expiry');
      assert.match(mailTo(AUTHOR)[0] as string, words);
      assert.ok(
        MEMBERS.every((m) => mailTo(m).length === 0),
        'no member got it',
      );
      const late = await decide(token, 'approve');
      assert.equal(late.status, 410);
      assert.equal(((await late.json()) as { code: string }).code, 'TOKEN_EXPIRED');
    });
  }

  it('refuses a forged link', async () => {
    const forged = await api('/moderation/eyJpZCI6IngiLCJieSI6InkiLCJleHAiOjk5OTk5OTk5OTl9.AAAA');
    assert.equal(forged.status, 400);
    assert.equal(((await forged.json()) as { code: string }).code, 'TOKEN_INVALID');
  });
});
