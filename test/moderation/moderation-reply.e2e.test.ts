/**
 * Moderating by reply, over SMTP: a moderator answers the notification (its subject, so its token,
 * kept) to LIST-request with `approve` or `approuver` on the first line, or `reject` and a reason;
 * the -request robot decides as the link does and answers in the family's language. The first
 * reply wins: the message reaches every member once; a second moderator is answered who decided
 * first and when. A reply from another address than the token's moderator, or saying no decision,
 * does nothing. `autolist serve`, swaks and smtp-sink as in moderation.e2e.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../harness/wait.js';
import { message, swaks } from '../smtp/helpers.js';
import type { DumpedTransaction } from '../smtp/smtp-sink.js';
import { AUTHOR, CHEFS, decodedSubject, GENDARME, ModerationRig, type Notice, readable } from './rig.js';

describe('moderation by reply to LIST-request (autolist serve, smtp-sink)', () => {
  let rig: ModerationRig;
  before(async () => {
    rig = await ModerationRig.start([
      { name: 'revue', language: 'en', expiry: '2d' },
      { name: 'critique', language: 'fr', expiry: '2d' },
    ]);
  });
  after(() => rig?.dispose());

  let replies = 0;
  /** Replies to a notification as a mail client does (`Re:` and its Subject header as written, so its token; the text, then the notification quoted); resolves with the robot's answer. */
  const reply = async (from: string, list: string, notice: Notice, text: string): Promise<{ subject: string; text: string }> => {
    const subject = (/^Subject: (.*(?:\n[ \t].*)*)/m.exec(notice.raw)?.[1] ?? '').replace(/\n[ \t]+/g, ' ');
    const quoted = notice.text
      .split('\n')
      .slice(0, 20)
      .map((line) => `> ${line}`)
      .join('\n');
    const request = list.replace('@', '-request@');
    const id = `<reply-${++replies}-${Date.now()}@example.net>`;
    const sent = await swaks(rig.smtpPort, { from, to: request, data: message({ From: from, To: request, Subject: `Re: ${subject}`, 'Message-ID': id }, `${text}\n\n${quoted}`) });
    assert.match(sent.lastReply, /^250 /, sent.transcript);
    const answer = () => rig.received(from).find((t) => t.message.includes(`In-Reply-To: ${id}`));
    await waitUntil(() => answer() !== undefined, `${from} is answered`);
    const raw = (answer() as DumpedTransaction).message;
    return { subject: decodedSubject(raw), text: readable(raw) };
  };

  for (const [family, language, approve, answers] of [
    [
      'revue',
      'en',
      'approve',
      {
        done: /^Done: the message from .* is approved$/,
        late: /^Already decided: /,
        by: (chef: string) => new RegExp(`was already approved by ${chef.replace(/\./g, '\\.')} at `),
      },
    ],
    [
      'critique',
      'fr',
      'approuver',
      {
        done: /^C’est fait : le message de .* est approuvé$/,
        late: /^Déjà décidé : /,
        by: (chef: string) => new RegExp(`a déjà été approuvé par ${chef.replace(/\./g, '\\.')} le `),
      },
    ],
  ] as const) {
    it(`approves with "${approve}" in a reply (${language}): every member gets it once, and a second moderator is told who decided first`, async () => {
      const list = `${family}-56@lists.example.org`;
      const { notices, subject } = await rig.post(GENDARME, list, CHEFS);
      const [first, second] = CHEFS as [string, string];
      const answer = await reply(first, list, notices.get(first) as Notice, approve);
      assert.match(answer.subject, answers.done);
      assert.match(answer.text, /^Auto-Submitted: auto-replied$/m);
      assert.match(answer.text, new RegExp(subject));
      // Relayed before the robot answered.
      rig.assertEveryMemberOnce(list);
      const late = await reply(second, list, notices.get(second) as Notice, approve);
      assert.match(late.subject, answers.late);
      assert.match(late.text, answers.by(first));
      rig.assertEveryMemberOnce(list);
    });
  }

  it('rejects with a reason in a reply: the author is told the reason, never the token; nobody else gets the message', async () => {
    const list = 'revue-56@lists.example.org';
    const { notices } = await rig.post(AUTHOR, list, ['owner.revue@example.org']);
    const notice = notices.get('owner.revue@example.org') as Notice;
    const answer = await reply('owner.revue@example.org', list, notice, 'Reject: not for this list, sorry.');
    assert.equal(answer.subject, 'Done: the message from auteur@example.net to revue-56@lists.example.org is rejected');
    assert.match(answer.text, /Your reason, told to its author: not for this list, sorry\./);
    await waitUntil(() => rig.mailTo(AUTHOR).length > 0, 'the author is told');
    const told = rig.mailTo(AUTHOR)[0] as string;
    assert.match(told, /The moderator’s reason: not for this list, sorry\./);
    assert.ok(!told.includes(ModerationRig.tokenOf(notice.text)), 'the author never sees the token');
    assert.equal(rig.copies(list).size, 0);
  });

  it('does nothing for a reply from another address than the moderator’s, nor for one that says no decision', async () => {
    const list = 'critique-56@lists.example.org';
    const { notices } = await rig.post(AUTHOR, list, ['owner.critique@example.org']);
    const notice = notices.get('owner.critique@example.org') as Notice;
    const forwarded = await reply('quelquun@example.net', list, notice, 'approuver');
    assert.match(forwarded.text, /a été donné à un autre modérateur/);
    const unclear = await reply('owner.critique@example.org', list, notice, 'Je regarde ça demain.');
    assert.match(unclear.text, /ne dit aucune décision : rien n’a été fait/);
    assert.equal(rig.copies(list).size, 0);
    const view = (await (await rig.api(`/moderation/${ModerationRig.tokenOf(notice.text)}`)).json()) as { message: { state: string } };
    assert.equal(view.message.state, 'held');
  });
});
