/**
 * `autolist held`, `approve` and `reject` on the store `autolist serve` keeps held messages in:
 * files under a temporary AUTOLIST_RELAY_STATE_DIR (and, once, Redis), the test family revue (its
 * mail from outside the directory moderated by its owner), the demo directory, Postfix's smtp-sink
 * as the relay. Messages are held here through the store, as the SMTP front holds them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Services } from '../../src/services.js';
import { autolist } from '../harness/cli.js';
import { familiesWith } from '../harness/families.js';
import { RedisServer } from '../harness/redis.js';
import { testServices } from '../harness/services.js';
import { demoAddresses } from '../smtp/helpers.js';
import { SmtpSink } from '../smtp/smtp-sink.js';

const LIST = 'revue-56@lists.example.org';
const AUTHOR = 'auteur@example.net';
const FRENCH = { LANG: 'fr_FR.UTF-8' };
/** The members of revue-56: every person of département 56 with an address. */
const MEMBERS = demoAddresses((a) => (a.get('objectclass') ?? []).some((c) => c.toLowerCase() === 'inetorgperson') && (a.get('departmentnumber')?.[0] ?? '') === '56');
const DAY_MS = 86_400_000;

/** A folder of state, the families with revue, a sink as the relay: the environment `autolist serve` and the commands share. */
class Site {
  readonly env: Record<string, string>;
  private services: Services | undefined;
  private held = 0;

  private constructor(
    readonly dir: string,
    readonly sink: SmtpSink,
    private readonly families: ReturnType<typeof familiesWith>,
    more: Record<string, string>,
  ) {
    this.env = {
      AUTOLIST_FAMILIES_DIR: families.dir,
      AUTOLIST_RELAY_STATE_DIR: join(dir, 'state'),
      AUTOLIST_OUTBOX_DIR: join(dir, 'outbox'),
      AUTOLIST_BOUNCES_FILE: join(dir, 'bounces.log'),
      AUTOLIST_RELAY_URL: sink.url,
      AUTOLIST_LINK_SECRET: 'a-link-secret-of-the-cli-moderation-test',
      ...more,
    };
  }

  static async start(more: Record<string, string> = {}): Promise<Site> {
    return new Site(mkdtempSync(join(tmpdir(), 'autolist-cli-held-')), await SmtpSink.start(), familiesWith([], ['revue']), more);
  }

  /** Holds a message for revue-56 in the store, as the SMTP front does; returns its id. */
  async hold(subject: string, sender = AUTHOR): Promise<string> {
    this.services ??= await testServices({ env: this.env });
    const raw = Buffer.from(`From: ${sender}\r\nTo: ${LIST}\r\nSubject: ${subject}\r\nMessage-ID: <held-${++this.held}-${Date.now()}@example.net>\r\n\r\nBonjour.\r\n`);
    const heldAt = new Date();
    const message = await this.services.held.hold({ list: LIST, sender, raw, heldAt, expiresAt: new Date(heldAt.getTime() + 2 * DAY_MS), moderators: ['owner.revue@example.org'] });
    return message.id;
  }

  run(args: string[], env: Record<string, string> = {}): ReturnType<typeof autolist> {
    return autolist(args, { ...this.env, ...env });
  }

  async dispose(): Promise<void> {
    await this.services?.close();
    await this.sink.dispose();
    this.families.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('autolist held, approve and reject, on files', () => {
  let site: Site;
  before(async () => {
    assert.ok(MEMBERS.length > 10);
    site = await Site.start();
  });
  after(() => site?.dispose());

  it('held lists the waiting messages (id, sender, subject, received, expires, state), in English and French, and as JSON', async () => {
    const empty = await site.run(['held', LIST]);
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(empty.stdout, `no message awaits moderation on ${LIST}\n`);
    const first = await site.hold('=?UTF-8?Q?Premi=C3=A8re_note?=');
    const second = await site.hold('Second note', 'other@example.net');
    const [english, french, json] = await Promise.all([site.run(['held', LIST]), site.run(['held', LIST], FRENCH), site.run(['held', '--json', LIST])]);
    assert.equal(english.code, 0, english.stderr);
    const rows = english.stdout.trimEnd().split('\n');
    assert.match(rows[0] as string, /^ID +SENDER +SUBJECT +RECEIVED +EXPIRES +STATE$/);
    assert.match(rows[1] as string, new RegExp(`^${first}  auteur@example\\.net +Première note +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  \\S+Z  waiting$`));
    assert.match(rows[2] as string, new RegExp(`^${second}  other@example\\.net +Second note +\\S+Z  \\S+Z  waiting$`));
    assert.equal(rows.length, 3);
    assert.match(french.stdout, /^ID +EXPÉDITEUR +OBJET +REÇU +EXPIRE +ÉTAT$/m);
    assert.match(french.stdout, new RegExp(`^${first} .* en attente$`, 'm'));
    const shown = JSON.parse(json.stdout) as { list: string; messages: Array<{ id: string; sender: string; subject: string; state: string; heldAt: string; expiresAt: string }> };
    assert.equal(shown.list, LIST);
    assert.deepEqual(
      shown.messages.map((m) => [m.id, m.sender, m.subject, m.state]),
      [
        [first, AUTHOR, 'Première note', 'held'],
        [second, 'other@example.net', 'Second note', 'held'],
      ],
    );
    assert.equal(Date.parse(shown.messages[0]?.expiresAt as string) - Date.parse(shown.messages[0]?.heldAt as string), 2 * DAY_MS);
  });

  it('two approves at once: one decides and the message reaches every member once; the other exits 3, already decided', async () => {
    const id = await site.hold('To approve');
    site.sink.clear();
    const answers = await Promise.all([site.run(['approve', id]), site.run(['approve', id])]);
    assert.deepEqual(answers.map((a) => a.code).sort(), [0, 3], answers.map((a) => a.stderr).join('\n'));
    const won = answers.find((a) => a.code === 0) as { stdout: string };
    const late = answers.find((a) => a.code === 3) as { stdout: string; stderr: string };
    assert.equal(won.stdout, `${id} approved: it went to the members of ${LIST}\n`);
    assert.match(late.stderr, new RegExp(`^autolist approve: ${id} was already approved by an administrator at \\d+ \\w+ \\d{4} at \\d\\d:\\d\\d UTC: the first decision counts`));
    assert.equal(late.stdout, '');
    const deliveries = site.sink.deliveries();
    assert.deepEqual([...deliveries.keys()].sort(), MEMBERS);
    assert.ok(
      [...deliveries.values()].every((n) => n === 1),
      JSON.stringify([...deliveries]),
    );
    assert.match(site.sink.transactions()[0]?.message ?? '', /^List-Id: /m);
    const transactions = site.sink.transactions().length;
    // Later still, in French and as JSON: nothing goes out again.
    const [french, json] = await Promise.all([site.run(['approve', id], FRENCH), site.run(['approve', '--json', id])]);
    assert.equal(french.code, 3);
    assert.match(french.stderr, new RegExp(`${id} a déjà été approuvé par un administrateur le \\d+ \\S+ \\d{4} .*UTC : la première décision compte`));
    assert.equal(json.code, 3);
    const error = JSON.parse(json.stdout) as { code: string; id: string; state: string; decidedBy: string; decidedAt: string };
    assert.deepEqual([error.code, error.id, error.state, error.decidedBy], ['ALREADY_DECIDED', id, 'approved', 'admin']);
    assert.equal(site.sink.transactions().length, transactions, 'nothing went out again');
    const listed = await site.run(['held', '--json', LIST]);
    assert.ok(!(JSON.parse(listed.stdout) as { messages: Array<{ id: string }> }).messages.some((m) => m.id === id), 'no longer waiting');
  });

  it('reject --reason tells the author the reason, and no member; an approve after it exits 3', async () => {
    const id = await site.hold('To reject');
    site.sink.clear();
    const rejected = await site.run(['reject', id, '--reason', 'Off topic for this list.', '--json']);
    assert.equal(rejected.code, 0, rejected.stderr);
    const decided = JSON.parse(rejected.stdout) as { id: string; state: string; decision: { state: string; by: string; reason: string } };
    assert.deepEqual([decided.id, decided.state, decided.decision.by, decided.decision.reason], [id, 'rejected', 'admin', 'Off topic for this list.']);
    const sent = site.sink.transactions();
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0]?.recipients, [AUTHOR]);
    assert.match(sent[0]?.message ?? '', /^Subject: Your message to revue-56@lists\.example\.org was rejected$/m);
    assert.match((sent[0]?.message ?? '').replace(/=\r?\n/g, ''), /reason: Off topic for this list\./);
    const late = await site.run(['approve', id]);
    assert.equal(late.code, 3);
    assert.match(late.stderr, /was already rejected by an administrator at /);
    assert.equal(site.sink.transactions().length, 1);
  });

  it('an unknown id exits 1; a missing one is a usage error', async () => {
    const [unknown, french, usage] = await Promise.all([site.run(['approve', 'AAAAAAAAAAAAAAAA']), site.run(['reject', 'AAAAAAAAAAAAAAAA'], FRENCH), site.run(['reject'])]);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'autolist approve: no held message AAAAAAAAAAAAAAAA\n');
    assert.equal(french.code, 1);
    assert.equal(french.stderr, 'autolist reject: aucun message retenu AAAAAAAAAAAAAAAA\n');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /reject takes one ID/);
  });
});

describe('autolist held and approve, on Redis (AUTOLIST_REDIS_URL)', () => {
  let redis: RedisServer;
  let site: Site;
  before(async () => {
    redis = await RedisServer.start();
    site = await Site.start({ AUTOLIST_REDIS_URL: redis.url });
  });
  after(async () => {
    await site?.dispose();
    await redis?.dispose();
  });

  it('lists a message held in Redis; approving it reaches every member once; a second approve exits 3', async () => {
    const id = await site.hold('Held in Redis');
    const listed = await site.run(['held', LIST]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${id}  auteur@example\\.net +Held in Redis .* waiting$`, 'm'));
    site.sink.clear();
    const approved = await site.run(['approve', id]);
    assert.equal(approved.code, 0, approved.stderr);
    const deliveries = site.sink.deliveries();
    assert.deepEqual([...deliveries.keys()].sort(), MEMBERS);
    assert.ok([...deliveries.values()].every((n) => n === 1));
    const transactions = site.sink.transactions().length;
    const again = await site.run(['approve', id]);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /already approved by an administrator/);
    assert.equal(site.sink.transactions().length, transactions, 'nothing went out again');
  });
});
