/**
 * What the SMTP front says about no list in particular, in the site's language (AUTOLIST_LANGUAGE),
 * French and English on the same events over real sessions: a message rate at MAIL, a SIZE= over
 * the limit, a domain no family serves, smtp-server's own refusals (unknown command, out of
 * sequence, malformed address, its idle timeout) and the hard error limit's 421. A rate refusing
 * RCPT to a list speaks that list's language (liste: French) whatever the site's. Reply lines
 * stay ASCII.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMetrics } from '../../src/http/metrics.js';
import type { Language } from '../../src/i18n/index.js';
import { metricValue } from '../harness/prometheus.js';
import { envelope, greeted } from '../harness/smtp-client.js';
import { CHEF, LIST, startFront, type Front } from './helpers.js';

/** What each event is answered, in each site language. */
const EXPECTED: Record<Language, Record<string, RegExp>> = {
  fr: {
    mailRate: /^450 4\.7\.1 trop de messages venant de 127\.0\.0\.2 : ralentissez et reessayez dans \d+ secondes?$/,
    size: /^552 5\.3\.4 le message depasse 4096 octets$/,
    otherDomain: /^550 5\.7\.1 relais refuse : /,
    unknownCommand: /^500 Erreur : commande inconnue$/,
    needMail: /^503 Erreur : commande MAIL attendue d'abord$/,
    recipientSyntax: /^501 Erreur : adresse de destinataire mal formee$/,
    tooManyErrors: /^421 4\.7\.0 trop d'erreurs$/,
    timeout: /^421 delai d'attente depasse, connexion fermee$/,
  },
  en: {
    mailRate: /^450 4\.7\.1 too much mail from 127\.0\.0\.2: slow down and try again in \d+ seconds?$/,
    size: /^552 5\.3\.4 the message is larger than 4096 bytes$/,
    otherDomain: /^550 5\.7\.1 relaying denied: /,
    unknownCommand: /^500 Error: command not recognized$/,
    needMail: /^503 Error: need MAIL command$/,
    recipientSyntax: /^501 Error: Bad recipient address syntax$/,
    tooManyErrors: /^421 4\.7\.0 too many errors$/,
    timeout: /^421 Timeout - closing connection$/,
  },
};

for (const language of ['fr', 'en'] as const) {
  describe(`the SMTP front's replies about no list, with AUTOLIST_LANGUAGE=${language}`, { timeout: 120_000 }, () => {
    const expected = EXPECTED[language];
    let f: Front;
    before(async () => {
      f = await startFront({
        AUTOLIST_LANGUAGE: language,
        AUTOLIST_SMTP_SIZE_LIMIT: '4096',
        AUTOLIST_SMTP_HARD_ERROR_LIMIT: '4',
        AUTOLIST_SMTP_RATE_MESSAGES_PER_IP: '1',
        AUTOLIST_SMTP_RATE_RECIPIENTS_PER_IP: '1',
        AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS: '127.0.0.1',
        AUTOLIST_SMTP_COMMAND_TIMEOUT_MS: '1000',
      });
    });
    after(() => f?.close());

    it('answers MAIL past the message rate in the site’s language', async () => {
      const client = await greeted(f.front.address.port, '127.0.0.2');
      assert.match((await client.ask('EHLO client.test')) ?? '', /^250 /);
      assert.match((await client.ask(`MAIL FROM:<${CHEF}>`)) ?? '', /^250 /);
      assert.match((await client.ask('RSET')) ?? '', /^250 /);
      assert.match((await client.ask(`MAIL FROM:<${CHEF}>`)) ?? '', expected.mailRate);
      await client.quit();
    });

    it('answers RCPT past the recipient rate in the language of the list it names, not the site’s', async () => {
      const { client, replies } = await envelope(f.front.address.port, CHEF, [LIST, LIST.replace('2a', '2b')], { localAddress: '127.0.0.3' });
      assert.match(replies[0] ?? '', /^250 /);
      assert.match(replies[1] ?? '', /^450 4\.7\.1 trop de destinataires venant de 127\.0\.0\.3 : ralentissez/);
      await client.quit();
    });

    it('answers a SIZE= over the limit, and a domain no family serves, in the site’s language', async () => {
      const client = await greeted(f.front.address.port);
      assert.match((await client.ask('EHLO client.test')) ?? '', /^250 /);
      assert.match((await client.ask(`MAIL FROM:<${CHEF}> SIZE=4097`)) ?? '', expected.size);
      assert.match((await client.ask(`MAIL FROM:<${CHEF}>`)) ?? '', /^250 /);
      assert.match((await client.ask('RCPT TO:<someone@elsewhere.example.net>')) ?? '', expected.otherDomain);
      await client.quit();
    });

    it('translates smtp-server’s own refusals, then closes at the hard error limit in the site’s language', async () => {
      const client = await greeted(f.front.address.port);
      assert.match((await client.ask('EHLO client.test')) ?? '', /^250 /);
      // Pipelined: the fourth error (AUTOLIST_SMTP_HARD_ERROR_LIMIT) ends the session, the NOOP after it is not answered.
      client.send('FROBNICATE', `RCPT TO:<${LIST}>`, `MAIL FROM:<${CHEF}>`, 'RCPT TO:<not an address', 'XYZZY', 'NOOP');
      const replies = await client.rest();
      assert.equal(replies.length, 6, replies.join('\n'));
      assert.match(replies[0] ?? '', expected.unknownCommand);
      assert.match(replies[1] ?? '', expected.needMail);
      assert.match(replies[2] ?? '', /^250 /);
      assert.match(replies[3] ?? '', expected.recipientSyntax);
      assert.match(replies[4] ?? '', expected.unknownCommand);
      assert.match(replies[5] ?? '', expected.tooManyErrors);
    });

    it('closes a silent session with smtp-server’s 421 in the site’s language, still counted as a timeout', async () => {
      const client = await greeted(f.front.address.port);
      assert.match((await client.reply()) ?? '', expected.timeout);
      const timeouts = metricValue(await createMetrics(f.services).registry.metrics(), 'autolist_smtp_client_events_total', { event: 'timeout' });
      assert.equal(timeouts, 1);
    });
  });
}
