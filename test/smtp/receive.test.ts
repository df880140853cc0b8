/**
 * The SMTP front with swaks as the client, the demo directory, and the outbox (no AUTOLIST_RELAY_URL):
 * decisions during the dialogue, loops, limits, the list headers, the outbox's files.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { familiesWith } from '../harness/families.js';
import { envelope } from '../harness/smtp-client.js';
import { CHEF, chefs2a, headerLines, LIST, message, outboxBatches, startFront, swaks, type Front } from './helpers.js';

describe('SMTP front: receiving', () => {
  let f: Front;
  let port: number;
  before(async () => {
    f = await startFront({ AUTOLIST_SMTP_SIZE_LIMIT: '4096' });
    port = f.front.address.port;
  });
  after(() => f.close());
  const sent = (): ReturnType<typeof outboxBatches> => outboxBatches(f.outbox);
  const clearOutbox = async (): Promise<void> => {
    const { rmSync } = await import('node:fs');
    rmSync(f.outbox, { recursive: true, force: true });
  };

  it('writes a chef’s message to liste.chefs-2a to the outbox: one .eml and one .json per batch, to exactly the members', async () => {
    await clearOutbox();
    const data = message({ From: CHEF, To: LIST, Subject: 'Réunion', 'Message-ID': '<outbox-1@example.org>' }, 'Bonjour.\r\n');
    const result = await swaks(port, { from: CHEF, to: LIST, data });
    assert.equal(result.code, 0, result.transcript);
    assert.match(result.lastReply, /^250 2\.0\.0 /);
    const batches = sent();
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0]?.recipients, chefs2a);
    assert.equal(batches[0]?.sender, 'liste.chefs-2a-bounces@lists.example.org');
    const names = readdirSync(f.outbox);
    assert.deepEqual(
      names.filter((n) => n.startsWith('.')),
      [],
      'no temporary file is left',
    );
    assert.equal(names.filter((n) => n.endsWith('.eml')).length, 1);
  });

  it('refuses the gendarme at RCPT with 5.7.1 and the decision’s reason', async () => {
    const result = await swaks(port, { from: 'gendarme.bretagne@example.org', to: LIST, quitAfter: 'RCPT' });
    assert.match(
      result.lastReply,
      // The liste family speaks French; an SMTP reply line is ASCII (RFC 5321): accents dropped, ’ written '.
      /^550 5\.7\.1 gendarme\.bretagne@example\.org ne peut pas ecrire a liste\.chefs-2a@lists\.example\.org : l'expediteur gendarme\.bretagne@example\.org n'est pas un chef : title vaut gendarme$/,
    );
  });

  it('refuses an unknown list with 5.1.1, where the name goes wrong and the names close to it', async () => {
    const result = await swaks(port, { from: CHEF, to: 'liste.chefs-2z@lists.example.org', quitAfter: 'RCPT' });
    assert.match(
      result.lastReply,
      /^550 5\.1\.1 la liste liste\.chefs-2z@lists\.example\.org n'existe pas : a la colonne 14, .* attendu, "z" trouve \(famille liste\) ; vouliez-vous dire liste\.chefs-2\d@lists\.example\.org, .* \?$/,
    );
  });

  it('refuses a domain no family serves: not a relay, and which domains are served is not told', async () => {
    const result = await swaks(port, { from: CHEF, to: 'someone@example.com', quitAfter: 'RCPT' });
    assert.match(result.lastReply, /^550 5\.7\.1 relaying denied: no list family serves the domain example\.com$/);
  });

  it('refuses a list without members and says so', async () => {
    const result = await swaks(port, { from: CHEF, to: 'liste.chefs-site-nulle-part@lists.example.org', quitAfter: 'RCPT' });
    assert.match(result.lastReply, /^550 5\.2\.1 liste\.chefs-site-nulle-part@lists\.example\.org .* n'a aucun membre : personne dans l'annuaire n'y correspond/);
  });

  it('refuses a loop with 554 5.4.6 and relays nothing: our X-Loop, our List-Id, Auto-Submitted, a mailer daemon, too many hops', async () => {
    await clearOutbox();
    const from: [string, string] = ['From', CHEF];
    const cases: Array<[Array<[string, string]>, RegExp]> = [
      [[from, ['X-Loop', 'liste.chefs-2b@lists.example.org'], ['X-Loop', LIST]], /X-Loop/],
      [[from, ['List-Id', '"Chefs" <liste.chefs-2a.lists.example.org>']], /List-Id/],
      [[from, ['Auto-Submitted', 'auto-replied']], /Auto-Submitted: auto-replied/],
      [[['From', '"Mail Delivery System" <MAILER-DAEMON@example.org>']], /robot de messagerie/],
      [[from, ...Array.from({ length: 51 }, (_, i): [string, string] => ['Received', `from hop${i}.example.org by hop${i + 1}.example.org`])], /plus de 50/],
    ];
    for (const [headers, reason] of cases) {
      const data = message([...headers, ['To', LIST], ['Subject', 'boucle']], 'x');
      const result = await swaks(port, { from: CHEF, to: LIST, data });
      assert.match(result.lastReply, /^554 5\.4\.6 /, JSON.stringify(headers));
      assert.match(result.lastReply, reason);
    }
    assert.deepEqual(sent(), []);
  });

  it('refuses a message over the size limit with 552 and relays nothing', async () => {
    await clearOutbox();
    const data = message({ From: CHEF, To: LIST, Subject: 'gros' }, `${'x'.repeat(70)}\r\n`.repeat(100));
    const result = await swaks(port, { from: CHEF, to: LIST, data });
    assert.match(result.lastReply, /^552 /);
    assert.deepEqual(sent(), []);
  });

  it('does not end DATA at a bare-LF dot (SMTP smuggling): the rest stays in the one message, byte for byte', async () => {
    await clearOutbox();
    const smuggled = 'MAIL FROM:<chef.ajaccio@example.org>\r\nRCPT TO:<liste.chefs-2b@lists.example.org>\r\nDATA\r\nSubject: smuggled\r\n\r\nevil';
    const body = `avant\n.\n${smuggled}\r\n.\nencore\n.\r\nfin\r\n`;
    const data = `From: ${CHEF}\r\nTo: ${LIST}\r\nSubject: contrebande\r\n\r\n${body}.`;
    const result = await swaks(port, { from: CHEF, to: LIST, data });
    assert.match(result.lastReply, /^250 /);
    const batches = sent();
    assert.equal(batches.length, 1, 'one message, to one list');
    assert.deepEqual(batches[0]?.recipients, chefs2a);
    const eml = batches[0]?.message as Buffer;
    assert.ok(eml.subarray(eml.length - Buffer.byteLength(body)).equals(Buffer.from(body)), 'the body is kept byte for byte');
  });

  it('adds the list headers once, the subject tag once (not again on a reply), and keeps the body byte for byte', async () => {
    await clearOutbox();
    const body = 'Ligne avec espaces   \r\n=C3=A9 pas décodé\r\n\r\n\r\n';
    const headers = {
      From: CHEF,
      To: LIST,
      Subject: 'Re: [chefs-2a] ordre du jour',
      'List-Id': '<autre.liste.example.net>',
      'List-Post': '<mailto:autre@example.net>',
      'Message-ID': '<reply-1@example.org>',
    };
    const result = await swaks(port, { from: CHEF, to: LIST, data: message(headers, body) });
    assert.match(result.lastReply, /^250 /, result.transcript);
    const eml = sent()[0]?.message as Buffer;
    for (const name of ['List-Id', 'List-Post', 'List-Help', 'Precedence', 'X-Loop', 'X-Priority', 'MMHS-Primary-Precedence', 'Subject']) {
      assert.equal(headerLines(eml, name).length, 1, name);
    }
    assert.match(headerLines(eml, 'List-Id')[0] as string, /<liste\.chefs-2a\.lists\.example\.org>$/);
    assert.equal(headerLines(eml, 'List-Post')[0], `List-Post: <mailto:${LIST}>`);
    assert.equal(headerLines(eml, 'List-Help')[0], 'List-Help: <mailto:liste.chefs-2a-request@lists.example.org?subject=help>');
    assert.deepEqual(headerLines(eml, 'List-Unsubscribe'), [], 'unsubscribing is closed in the liste family');
    assert.deepEqual(headerLines(eml, 'List-Owner'), [], 'the liste family names no owner');
    assert.equal(headerLines(eml, 'Precedence')[0], 'Precedence: list');
    assert.equal(headerLines(eml, 'X-Loop')[0], `X-Loop: ${LIST}`);
    assert.equal(headerLines(eml, 'X-Priority')[0], 'X-Priority: 3 (Normal)');
    assert.equal(headerLines(eml, 'Subject')[0], 'Subject: Re: [chefs-2a] ordre du jour');
    assert.equal(headerLines(eml, 'Received').length, 1);
    // The line end before the final dot belongs to the message.
    const expected = Buffer.from(`${body}\r\n`);
    assert.ok(eml.subarray(eml.length - expected.length).equals(expected));
  });

  it('tags a new subject once', async () => {
    await clearOutbox();
    await swaks(port, { from: CHEF, to: LIST, data: message({ From: CHEF, To: LIST, Subject: 'Ordre du jour' }, 'x') });
    assert.deepEqual(headerLines(sent()[0]?.message as Buffer, 'Subject'), ['Subject: [chefs-2a] Ordre du jour']);
  });

  it('refuses LIST-owner when no owner is configured, and answers LIST-request automatically from the null sender', async () => {
    await clearOutbox();
    const owner = await swaks(port, { from: CHEF, to: 'liste.chefs-2a-owner@lists.example.org', quitAfter: 'RCPT' });
    assert.match(owner.lastReply, /^550 5\.1\.1 .*ne nomme aucun proprietaire/);
    const data = message({ From: 'chef.bretagne@example.org', To: 'liste.chefs-2a-request@lists.example.org', Subject: 'help', 'Message-ID': '<req-1@example.org>' }, 'help');
    const request = await swaks(port, { from: 'chef.bretagne@example.org', to: 'liste.chefs-2a-request@lists.example.org', data });
    assert.match(request.lastReply, /^250 /, request.transcript);
    const [reply] = sent();
    assert.equal(reply?.sender, '');
    assert.deepEqual(reply?.recipients, ['chef.bretagne@example.org']);
    // quoted-printable soft line breaks joined
    const text = reply?.message.toString('utf8').replace(/=\r\n/g, '') ?? '';
    assert.match(text, /^Auto-Submitted: auto-replied$/m);
    assert.match(text, /^In-Reply-To: <req-1@example\.org>$/m);
    assert.match(text, /Chefs du d/);
    const decoded = Buffer.from(
      text.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
      'binary',
    ).toString('utf8');
    assert.match(decoded, /Qui peut écrire à la liste : autorisé si commandement \(l’expéditeur est un chef/, 'in the family’s language (liste: fr)');
  });
});

describe('SMTP front: family options and owners', () => {
  let f: Front;
  let families: ReturnType<typeof familiesWith>;
  before(async () => {
    families = familiesWith(['empty-lists accept', 'dmarc rewrite-from', 'owners listmaster@example.org']);
    f = await startFront({ AUTOLIST_FAMILIES_DIR: families.dir });
  });
  after(async () => {
    await f.close();
    families.dispose();
  });

  it('accepts mail to an empty list when the family accepts empty lists, and relays nothing', async () => {
    const to = 'liste.chefs-site-nulle-part@lists.example.org';
    const result = await swaks(f.front.address.port, { from: CHEF, to, data: message({ From: CHEF, To: to, Subject: 'x' }, 'x') });
    assert.match(result.lastReply, /^250 2\.0\.0 liste\.chefs-site-nulle-part@lists\.example\.org : 0 membre$/);
    assert.deepEqual(outboxBatches(f.outbox), []);
  });

  it('rewrites From to the list with the author in Reply-To, and gives List-Owner', async () => {
    const from = '"Paul Santoni" <chef.ajaccio@example.org>';
    const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data: message({ From: from, To: LIST, Subject: 'dmarc' }, 'x') });
    assert.match(result.lastReply, /^250 /, result.transcript);
    const eml = outboxBatches(f.outbox)[0]?.message as Buffer;
    assert.match(headerLines(eml, 'From')[0] as string, /^From: .*Paul Santoni via .* <liste\.chefs-2a@lists\.example\.org>$/);
    assert.deepEqual(headerLines(eml, 'Reply-To'), [`Reply-To: ${from}`]);
    assert.deepEqual(headerLines(eml, 'List-Owner'), ['List-Owner: <mailto:liste.chefs-2a-owner@lists.example.org>']);
  });

  it('sends LIST-owner mail to the family’s owners, the sender kept', async () => {
    const before = outboxBatches(f.outbox).length;
    const to = 'liste.chefs-2a-owner@lists.example.org';
    const result = await swaks(f.front.address.port, { from: 'gendarme.bretagne@example.org', to, data: message({ From: 'gendarme.bretagne@example.org', To: to, Subject: 'question' }, 'x') });
    assert.match(result.lastReply, /^250 /, result.transcript);
    const batches = outboxBatches(f.outbox);
    assert.equal(batches.length, before + 1);
    const forwarded = batches.find((b) => b.recipients.includes('listmaster@example.org'));
    assert.equal(forwarded?.sender, 'gendarme.bretagne@example.org');
  });
});

describe('SMTP front: a family reloaded between RCPT and DATA', () => {
  let f: Front;
  let families: ReturnType<typeof familiesWith>;
  before(async () => {
    families = familiesWith(['dmarc rewrite-from', 'owners listmaster@example.org']);
    f = await startFront({ AUTOLIST_FAMILIES_DIR: families.dir });
  });
  after(async () => {
    await f.close();
    families.dispose();
  });

  it('sends the message as the family was when the recipient was taken, not as reloaded since', async () => {
    const { client, replies } = await envelope(f.front.address.port, CHEF, [LIST]);
    assert.match(replies[0] ?? '', /^250 /);
    writeFileSync(families.liste, readFileSync(families.liste, 'utf8').replace(/^(dmarc|owners) .*\n/gm, ''));
    f.services.catalog.reload();
    assert.equal(f.services.catalog.resolver.resolve(LIST).rewriteFrom, false, 'the reloaded family keeps From and names no owner');
    assert.match((await client.ask('DATA')) ?? '', /^354 /);
    const from = '"Paul Santoni" <chef.ajaccio@example.org>';
    assert.match((await client.ask(message({ From: from, To: LIST, Subject: 'reload' }, 'x'))) ?? '', /^250 /);
    await client.quit();
    const eml = outboxBatches(f.outbox)[0]?.message as Buffer;
    assert.match(headerLines(eml, 'From')[0] as string, /^From: .*Paul Santoni via .* <liste\.chefs-2a@lists\.example\.org>$/);
    assert.deepEqual(headerLines(eml, 'List-Owner'), ['List-Owner: <mailto:liste.chefs-2a-owner@lists.example.org>']);
  });
});
