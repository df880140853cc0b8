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
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../harness/wait.js';
import { ADMIN, AUTHOR, CHEFS, GENDARME, MEMBERS, ModerationRig } from './rig.js';

describe('moderation over SMTP and HTTP (autolist serve, smtp-sink)', () => {
  let rig: ModerationRig;
  before(async () => {
    rig = await ModerationRig.start([
      { name: 'revue', language: 'en', expiry: '2d' },
      { name: 'critique', language: 'fr', expiry: '2d' },
      { name: 'breve', language: 'fr', expiry: '3s' },
      { name: 'brief', language: 'en', expiry: '3s' },
    ]);
  });
  after(() => rig?.dispose());

  const tokenOf = ModerationRig.tokenOf;

  it('holds a moderated message (250 awaiting moderation), tells the owner with the message attached, and approving from the link twice reaches every member once', async () => {
    const { reply, notices, subject } = await rig.post(AUTHOR, 'revue-56@lists.example.org', ['owner.revue@example.org']);
    assert.match(reply, /revue-56@lists\.example\.org: your message awaits moderation/);
    const notice = notices.get('owner.revue@example.org')?.text as string;
    assert.match(notice, /^Subject: To moderate: a message from auteur@example\.net to revue-56@lists\.example\.org \[/m);
    assert.match(notice, /Content-Type: message\/rfc822/);
    assert.match(notice, new RegExp(`Subject: ${subject}`));
    assert.match(notice, /reply to this message, keeping its subject: write approve/);
    const token = tokenOf(notice);
    const view = await rig.api(`/moderation/${token}`);
    assert.equal(view.status, 200);
    const shown = (await view.json()) as { moderator: string; language: string; message: { subject: string; text: string; state: string; sender: string } };
    assert.equal(shown.moderator, 'owner.revue@example.org');
    assert.equal(shown.language, 'en');
    assert.equal(shown.message.subject, subject);
    assert.match(shown.message.text, /ceci est la note/);
    assert.equal(shown.message.state, 'held');
    rig.sink.clear();
    const answers = await Promise.all([rig.decide(token, 'approve'), rig.decide(token, 'approve')]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
    const late = (await answers.find((a) => a.status === 409)?.json()) as { code: string; decidedBy: string; state: string };
    assert.equal(late.code, 'ALREADY_DECIDED');
    assert.equal(late.decidedBy, 'owner.revue@example.org');
    assert.equal(late.state, 'approved');
    // Already relayed when the decision answers.
    const deliveries = rig.sink.deliveries();
    assert.deepEqual([...deliveries.keys()].sort(), [...MEMBERS].sort());
    assert.ok(
      [...deliveries.values()].every((n) => n === 1),
      JSON.stringify([...deliveries]),
    );
    const copy = rig.mailTo(MEMBERS[0] as string)[0] as string;
    assert.match(copy, /^List-Id: /m);
    assert.match(copy, new RegExp(`^Subject: .*${subject}`, 'm'));
    // An administrator coming after is told too, and nothing goes out again.
    const id = (await (await rig.api(`/moderation/${token}`)).json()) as { message: { id: string } };
    const sent = rig.sink.transactions().length;
    const admin = await rig.api(`/held/${id.message.id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(admin.status, 409);
    assert.equal(rig.sink.transactions().length, sent);
    assert.ok([...rig.sink.deliveries().values()].every((n) => n === 1));
  });

  it('tells every chef of the département of a message from a person of the directory; the admin lists it, and a rejection tells the author the reason', async () => {
    const { notices } = await rig.post(GENDARME, 'revue-56@lists.example.org', CHEFS);
    const tokens = [...notices.values()].map((n) => tokenOf(n.text));
    assert.equal(new Set(tokens).size, CHEFS.length, 'a token of its own for each moderator');
    const listed = await rig.api('/lists/revue-56@lists.example.org/held', { headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(listed.status, 200);
    const held = (await listed.json()) as { messages: Array<{ sender: string }> };
    assert.ok(held.messages.some((m) => m.sender === GENDARME));
    assert.equal((await rig.api('/lists/revue-56@lists.example.org/held')).status, 401);
    rig.sink.clear();
    const rejected = await rig.decide(tokens[0] as string, 'reject', 'Off topic for this list.');
    assert.equal(rejected.status, 200);
    const told = rig.mailTo(GENDARME);
    assert.equal(told.length, 1);
    assert.match(told[0] as string, /^Subject: Your message to revue-56@lists\.example\.org was rejected$/m);
    assert.match(told[0] as string, /The moderator’s reason: Off topic for this list\./);
    assert.ok(
      MEMBERS.filter((m) => m !== GENDARME).every((m) => rig.mailTo(m).length === 0),
      'no member got it',
    );
    const second = await rig.decide(tokens[1] as string, 'approve');
    assert.equal(second.status, 409);
    assert.equal(((await second.json()) as { decidedBy: string }).decidedBy, CHEFS[0]);
  });

  it('speaks French for a French family: the 250, the notification, the rejection notice', async () => {
    const { reply, notices } = await rig.post(AUTHOR, 'critique-56@lists.example.org', ['owner.critique@example.org']);
    assert.match(reply, /critique-56@lists\.example\.org : votre message attend la mod/);
    const notice = notices.get('owner.critique@example.org')?.text as string;
    assert.match(notice, /a écrit à critique-56@lists\.example\.org/);
    assert.match(notice, /écrivez approuver en première ligne/);
    rig.sink.clear();
    assert.equal((await rig.decide(tokenOf(notice), 'reject', 'Hors sujet.')).status, 200);
    const told = rig.mailTo(AUTHOR)[0] as string;
    assert.match(told, /a été rejeté par un modérateur/);
    assert.match(told, /Le motif du modérateur : Hors sujet\./);
  });

  for (const [family, language, words] of [
    ['brief', 'en', /waited for a moderator’s decision until .*; nobody decided, so it went to nobody/],
    ['breve', 'fr', /a attendu la décision d’un modérateur jusqu’au .* ; personne n’a décidé/],
  ] as const) {
    it(`tells the author of a message nobody decided on once it expires (${language}); its link then says so`, async () => {
      const { notices } = await rig.post(AUTHOR, `${family}-56@lists.example.org`, [`owner.${family}@example.org`]);
      const token = tokenOf(notices.get(`owner.${family}@example.org`)?.text as string);
      await waitUntil(() => rig.mailTo(AUTHOR).length > 0, 'the author is told of the expiry');
      assert.match(rig.mailTo(AUTHOR)[0] as string, words);
      assert.ok(
        MEMBERS.every((m) => rig.mailTo(m).length === 0),
        'no member got it',
      );
      const late = await rig.decide(token, 'approve');
      assert.equal(late.status, 410);
      assert.equal(((await late.json()) as { code: string }).code, 'TOKEN_EXPIRED');
    });
  }

  it('refuses a forged link', async () => {
    const forged = await rig.api('/moderation/eyJpZCI6IngiLCJieSI6InkiLCJleHAiOjk5OTk5OTk5OTl9.AAAA');
    assert.equal(forged.status, 400);
    assert.equal(((await forged.json()) as { code: string }).code, 'TOKEN_INVALID');
  });
});
