/**
 * The -request robot over the SMTP front (swaks as the client, the outbox as the relay, the demo
 * directory), on the test family `equipe` (subscribe: people of the directory who are not civil;
 * unsubscribe: anyone) in English, and the same family saying `language fr`: the same requests get
 * the same answers in each language; a subscribe or unsubscribe is done only once a reply carrying
 * its token comes back, once; a forged, expired or reused token does nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import libmime from 'libmime';
import { familiesWith } from '../harness/families.js';
import { demoAddresses, message, outboxBatches, startFront, swaks, type Front } from '../smtp/helpers.js';

const LIST = 'equipe-2a@lists.example.org';
const REQUEST = 'equipe-2a-request@lists.example.org';
const attribute = (a: Map<string, string[]>, name: string): string => (a.get(name)?.[0] ?? '').toLowerCase();
const person = (a: Map<string, string[]>): boolean => (a.get('objectclass') ?? []).some((c) => c.toLowerCase() === 'inetorgperson');
/** A person of département 2A: a member of equipe-2a by the directory. */
const MEMBER = demoAddresses((a) => person(a) && attribute(a, 'departmentnumber') === '2a')[0] as string;
/** Someone of the directory elsewhere, not civil: the family's subscribe rule admits them. */
const NEWCOMER = demoAddresses((a) => person(a) && attribute(a, 'departmentnumber') === '56' && attribute(a, 'employeetype') === 'militaire')[0] as string;
/** A civil person elsewhere: the subscribe rule refuses them. */
const CIVIL = demoAddresses((a) => person(a) && attribute(a, 'departmentnumber') === '56' && attribute(a, 'employeetype') === 'civil')[0] as string;

/** What each language's answers say, for the same requests. */
const WORDS = {
  en: {
    about: /Subscribing: allow if/,
    confirmSubject: /^Confirm: (\S+)$/,
    confirmAsked: /asked to join the list equipe-2a@lists\.example\.org/,
    confirmLeave: /asked to leave the list/,
    added: /You are now a member of equipe-2a@lists\.example\.org\./,
    excluded: /You are no longer a member of equipe-2a@lists\.example\.org/,
    rejoined: /You are a member of equipe-2a@lists\.example\.org again\./,
    used: /This confirmation was already used/,
    refused: /Your request to join equipe-2a@lists\.example\.org is refused: /,
    invalid: /This confirmation is not valid for equipe-2a@lists\.example\.org/,
    expired: /This confirmation expired on /,
    moderationExpired: /The time to decide on this message ended on /,
    member: /You are already a member of/,
  },
  fr: {
    about: /Abonnement : autorisé si/,
    confirmSubject: /^Confirmation : (\S+)$/,
    confirmAsked: /a demandé l’abonnement de .* à la liste equipe-2a@lists\.example\.org/,
    confirmLeave: /a demandé le désabonnement de/,
    added: /Vous êtes maintenant membre de equipe-2a@lists\.example\.org\./,
    excluded: /Vous n’êtes plus membre de equipe-2a@lists\.example\.org/,
    rejoined: /Vous êtes de nouveau membre de equipe-2a@lists\.example\.org\./,
    used: /Cette confirmation a déjà servi/,
    refused: /Votre demande d’abonnement à equipe-2a@lists\.example\.org est refusée : /,
    invalid: /Cette confirmation n’est pas valable pour equipe-2a@lists\.example\.org/,
    expired: /Cette confirmation a expiré le /,
    moderationExpired: /Le délai pour décider de ce message a pris fin le /,
    member: /Vous êtes déjà membre de/,
  },
} as const;

/** An answer in the outbox: its envelope, its decoded subject and text. */
interface Answer {
  recipients: string[];
  sender: string;
  subject: string;
  text: string;
  raw: string;
}

for (const language of ['en', 'fr'] as const) {
  const words = WORDS[language];
  describe(`the -request robot (${language})`, () => {
    let f: Front;
    let port: number;
    let families: ReturnType<typeof familiesWith>;
    before(async () => {
      families = familiesWith([], ['equipe']);
      const charter = join(families.dir, 'equipe', 'equipe.charter');
      writeFileSync(charter, readFileSync(charter, 'utf8').replace(/^subject .*$/m, `$&\nlanguage     ${language}`));
      f = await startFront({ AUTOLIST_FAMILIES_DIR: families.dir });
      port = f.front.address.port;
    });
    after(async () => {
      await f.close();
      families.dispose();
    });

    /** Sends a mail to the request address and returns the robot's answer (the outbox emptied first). */
    const ask = async (from: string, subject: string, body = ''): Promise<Answer> => {
      rmSync(f.outbox, { recursive: true, force: true });
      const result = await swaks(port, { from, to: REQUEST, data: message({ From: from, To: REQUEST, Subject: subject, 'Message-ID': `<${Math.random()}@example.org>` }, body) });
      assert.match(result.lastReply, /^250 /, result.transcript);
      const batches = outboxBatches(f.outbox);
      assert.equal(batches.length, 1, 'one answer');
      const [batch] = batches;
      assert.ok(batch);
      const raw = batch.message.toString('utf8');
      const [head = '', ...body_] = raw.split('\r\n\r\n');
      const subjectLine = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(head)?.[1] ?? '';
      const text = Buffer.from(
        body_
          .join('\r\n\r\n')
          .replace(/=\r\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
        'binary',
      ).toString('utf8');
      return { recipients: batch.recipients, sender: batch.sender, subject: libmime.decodeWords(subjectLine.replace(/\r\n[ \t]/g, ' ')), text, raw };
    };
    const members = async (): Promise<readonly string[]> => (await f.services.subscriptions.members(f.services.catalog.resolver.resolve(LIST))).members.map((m) => m.toLowerCase());
    /** Asks, then replies to the confirmation as a mail client does (Re: and the subject); returns the token and the answer to the reply. */
    const confirmed = async (from: string, command: string): Promise<{ token: string; confirmation: Answer; done: Answer }> => {
      const confirmation = await ask(from, command);
      const token = words.confirmSubject.exec(confirmation.subject)?.[1];
      assert.ok(token, confirmation.subject);
      const done = await ask(from, `Re: ${confirmation.subject}`, '> quoted text');
      return { token, confirmation, done };
    };

    it('answers mail without a command with what the list is, in the family’s language, from the null sender', async () => {
      const answer = await ask(NEWCOMER, 'hello');
      assert.equal(answer.sender, '');
      assert.deepEqual(answer.recipients, [NEWCOMER]);
      assert.match(answer.raw, /^Auto-Submitted: auto-replied$/m);
      assert.match(answer.raw, new RegExp(`^Content-Language: ${language}$`, 'm'));
      assert.match(answer.text, words.about);
    });

    it('subscribes someone the rules admit only once the reply with the token comes back, and only once', async () => {
      const confirmation = await ask(NEWCOMER, language === 'fr' ? 'abonnement' : 'subscribe');
      assert.match(confirmation.text, words.confirmAsked);
      assert.ok(!(await members()).includes(NEWCOMER), 'not a member before the confirmation');
      const token = words.confirmSubject.exec(confirmation.subject)?.[1] as string;
      const done = await ask(NEWCOMER, `Re: ${confirmation.subject}`);
      assert.match(done.text, words.added);
      assert.ok((await members()).includes(NEWCOMER));
      const entry = await f.services.subscriptions.override(f.services.catalog.resolver.resolve(LIST), NEWCOMER);
      assert.equal(entry?.kind, 'addition');
      assert.match(entry?.rule ?? '', /^equipe\/equipe\.charter:\d+$/);
      assert.equal(entry?.how, 'mail');
      const again = await ask(NEWCOMER, 'whatever', `${token}\r\n`);
      assert.match(again.text, words.used);
      assert.match((await ask(NEWCOMER, 'subscribe')).text, words.member);
    });

    it('refuses at once, with the reason, someone the subscribe rules refuse: no token is sent', async () => {
      const answer = await ask(CIVIL, 'subscribe equipe-2a');
      assert.match(answer.text, words.refused);
      assert.doesNotMatch(answer.subject, words.confirmSubject);
    });

    it('unsubscribes a member of the directory’s list once confirmed, and lets them rejoin', async () => {
      assert.ok((await members()).includes(MEMBER));
      const leave = await confirmed(MEMBER, language === 'fr' ? 'désabonnement' : 'unsubscribe');
      assert.match(leave.confirmation.text, words.confirmLeave);
      assert.match(leave.done.text, words.excluded);
      assert.ok(!(await members()).includes(MEMBER));
      const back = await confirmed(MEMBER, language === 'fr' ? 'Abonnement' : 'SUBSCRIBE equipe-2a');
      assert.match(back.done.text, words.rejoined);
      assert.ok((await members()).includes(MEMBER));
      assert.equal(await f.services.subscriptions.override(f.services.catalog.resolver.resolve(LIST), MEMBER), undefined, 'the exclusion is gone');
    });

    it('does nothing for a forged token or an expired one, and says which', async () => {
      const { token } = await confirmed(MEMBER, 'unsubscribe').then(async (r) => {
        // Undo, so that the other tests find the member where they expect.
        await f.services.subscriptions.undo(f.services.catalog.resolver.resolve(LIST), MEMBER);
        return r;
      });
      const [body, mac] = token.split('.') as [string, string];
      const data = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
      const forged = `${Buffer.from(JSON.stringify({ ...data, a: NEWCOMER })).toString('base64url')}.${mac}`;
      assert.match((await ask(NEWCOMER, `Re: Confirm: ${forged}`)).text, words.invalid);
      const { exp: _exp, ...signed } = data;
      const expired = f.services.links.signer.sign('confirm-subscription', signed, new Date(Date.now() - 60_000));
      assert.match((await ask(MEMBER, `Re: Confirm: ${expired}`)).text, words.expired);
      // A moderator's reply too late is told the message's time ran out, not how to subscribe.
      const lateModeration = f.services.links.signer.sign('moderate', { id: 'held-1', by: MEMBER }, new Date(Date.now() - 60_000));
      assert.match((await ask(MEMBER, `Re: ${lateModeration}`)).text, words.moderationExpired);
      assert.ok((await members()).includes(MEMBER), 'still a member');
    });
  });
}
