/**
 * What the end of DATA refuses, with enhanced status codes: a message over AUTOLIST_SMTP_SIZE_LIMIT
 * (552 5.3.4, also at MAIL for a SIZE= over it) and a line over RFC 5322's 998 octets (550 5.6.0,
 * naming the line). swaks and a raw client, the demo directory, the outbox.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { greeted } from '../harness/smtp-client.js';
import { CHEF, LIST, message, outboxBatches, startFront, swaks, type Front } from './helpers.js';

describe('SMTP front: size and line length at the end of DATA', () => {
  let f: Front;
  before(async () => {
    f = await startFront({ AUTOLIST_SMTP_SIZE_LIMIT: '4096' });
  });
  after(() => f.close());
  const headers = { From: CHEF, To: LIST, Subject: 'limites' };

  it('answers a message over the size limit 552 5.3.4 and sends nothing', async () => {
    const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data: message(headers, `${'x'.repeat(70)}\r\n`.repeat(100)) });
    // In the language of the transaction's list (liste: French), ASCII in the reply.
    assert.equal(result.lastReply, '552 5.3.4 le message depasse 4096 octets', result.transcript);
    assert.deepEqual(outboxBatches(f.outbox), []);
  });

  it('answers MAIL FROM with SIZE= over the limit 552 5.3.4, and takes SIZE= up to it; EHLO offers SIZE', async () => {
    const ehlo = await swaks(f.front.address.port, { from: CHEF, to: LIST, quitAfter: 'EHLO' });
    assert.match(ehlo.transcript, /^<- +250[- ]SIZE$/m, ehlo.transcript);
    const client = await greeted(f.front.address.port);
    assert.match((await client.ask('EHLO client.test')) ?? '', /^250 /);
    // Before any list is named: the site's language, English when its families speak several.
    assert.equal(await client.ask(`MAIL FROM:<${CHEF}> SIZE=4097`), '552 5.3.4 the message is larger than 4096 bytes');
    assert.match((await client.ask(`MAIL FROM:<${CHEF}> SIZE=4096`)) ?? '', /^250 /);
    await client.quit();
  });

  it('refuses a line of 999 octets with 550 5.6.0 naming the line, and sends nothing', async () => {
    const data = message(headers, `court\r\n${'y'.repeat(999)}\r\nfin\r\n`);
    const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(result.lastReply, /^550 5\.6\.0 la ligne 6 du message depasse 998 octets/, result.transcript);
    assert.deepEqual(outboxBatches(f.outbox), []);
  });

  it('relays a line of exactly 998 octets unchanged', async () => {
    const line = 'z'.repeat(998);
    const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data: message(headers, `${line}\r\n`) });
    assert.match(result.lastReply, /^250 2\.0\.0 /, result.transcript);
    const [batch] = outboxBatches(f.outbox);
    assert.ok(batch?.message.toString('latin1').includes(`\r\n${line}\r\n`));
  });
});
