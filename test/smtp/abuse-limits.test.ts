/** The SMTP front's abuse limits, over real sessions: the hard error limit, message and recipient rates, and their metrics. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMetrics } from '../../src/http/metrics.js';
import { CHEF, LIST, startFront, type Front } from './helpers.js';
import { metricValue } from '../harness/prometheus.js';
import { envelope, greeted, type RawClient } from '../harness/smtp-client.js';

const NO_LIST = (n: number): string => `liste.nobody-${n}@lists.example.org`;

/** The value of one series of the front's metrics (0 when absent). */
async function metric(f: Front, name: string, labels: Record<string, string> = {}): Promise<number> {
  return metricValue(await createMetrics(f.services).registry.metrics(), name, labels);
}

/** A greeted session, past EHLO and MAIL FROM. */
async function transaction(f: Front, sender: string, localAddress?: string): Promise<RawClient> {
  return (await envelope(f.front.address.port, sender, [], { localAddress })).client;
}

describe('the hard error limit (AUTOLIST_SMTP_HARD_ERROR_LIMIT)', () => {
  let f: Front;
  before(async () => {
    f = await startFront({ AUTOLIST_SMTP_HARD_ERROR_LIMIT: '3', AUTOLIST_SMTP_RATE_RECIPIENTS_PER_SENDER: '2', AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS: '' });
  });
  after(() => f.close());

  it('answers the refused recipients up to the limit, then 421 4.7.0 too many errors and closes the session', async () => {
    const before = await metric(f, 'autolist_smtp_hard_error_disconnects_total');
    const client = await transaction(f, 'someone@example.org');
    // Pipelined, as a flooding client sends them: nothing past the limit is looked at.
    client.send(...[1, 2, 3, 4, 5].map((n) => `RCPT TO:<${NO_LIST(n)}>`));
    const replies = await client.rest();
    assert.deepEqual(
      replies.slice(0, 2).map((r) => r.slice(0, 9)),
      ['550 5.1.1', '550 5.1.1'],
    );
    // The third recipient was over the sender's rate of 2: a temporary refusal counts as an error too.
    assert.match(replies[2] ?? '', /^450 4\.7\.1 /);
    assert.equal(replies[3], '421 4.7.0 too many errors');
    assert.equal(replies.length, 4, 'then the connection is closed; the 4th and 5th recipients get no answer');
    assert.equal(await metric(f, 'autolist_smtp_hard_error_disconnects_total'), before + 1);
  });

  it('counts per session: a new session starts again from zero, and accepted recipients do not count', async () => {
    const client = await transaction(f, CHEF);
    assert.match((await client.ask(`RCPT TO:<${NO_LIST(1)}>`)) ?? '', /^550 /);
    assert.match((await client.ask(`RCPT TO:<${LIST}>`)) ?? '', /^250 /);
    assert.match((await client.ask('RSET')) ?? '', /^250 /);
    assert.match((await client.ask('MAIL FROM:<other@example.org>')) ?? '', /^250 /);
    assert.match((await client.ask(`RCPT TO:<${NO_LIST(2)}>`)) ?? '', /^550 /);
    assert.match((await client.ask(`RCPT TO:<${NO_LIST(3)}>`)) ?? '', /^550 /);
    assert.equal(await client.reply(), '421 4.7.0 too many errors', 'the third refusal of the session');
    assert.equal(await client.reply(), undefined);
  });

  it('counts addresses smtp-server itself finds malformed, and failed commands, like Postfix', async () => {
    const client = await transaction(f, 'malformed@example.org');
    client.send('RCPT TO:<liste.\x01chefs@lists.example.org>', `RCPT TO:<${'a'.repeat(3000)}@lists.example.org>`, 'MAIL FROM:<again@example.org>', `RCPT TO:<${NO_LIST(1)}>`);
    const replies = await client.rest();
    assert.deepEqual(
      replies.map((r) => r.slice(0, 3)),
      ['501', '501', '503', '421'],
    );
    assert.equal(replies[3], '421 4.7.0 too many errors');
  });

  it('does not count 452 (recipients past AUTOLIST_SMTP_MAX_RECIPIENTS): the client sends them in another transaction', async () => {
    const g = await startFront({ AUTOLIST_SMTP_HARD_ERROR_LIMIT: '3', AUTOLIST_SMTP_MAX_RECIPIENTS: '1' });
    try {
      const client = await transaction(g, CHEF);
      assert.match((await client.ask(`RCPT TO:<${LIST}>`)) ?? '', /^250 /);
      for (let n = 0; n < 5; n++) assert.match((await client.ask(`RCPT TO:<liste.chefs-2b@lists.example.org>`)) ?? '', /^452 /);
      await client.quit();
    } finally {
      await g.close();
    }
  });

  it('defaults to 20, and 0 turns it off', async () => {
    const { loadConfig } = await import('../../src/config/config.js');
    assert.equal(loadConfig({}).smtp.limits.hardErrorLimit, 20);
    assert.equal(loadConfig({ AUTOLIST_SMTP_HARD_ERROR_LIMIT: '0' }).smtp.limits.hardErrorLimit, 0);
    assert.throws(() => loadConfig({ AUTOLIST_SMTP_HARD_ERROR_LIMIT: '-1' }), /AUTOLIST_SMTP_HARD_ERROR_LIMIT/);
  });
});

describe('the hard error limit turned off', () => {
  let f: Front;
  before(async () => {
    f = await startFront({ AUTOLIST_SMTP_HARD_ERROR_LIMIT: '0' });
  });
  after(() => f.close());

  it('answers every refused recipient and keeps the session', async () => {
    const client = await transaction(f, 'someone@example.org');
    for (let n = 0; n < 30; n++) assert.match((await client.ask(`RCPT TO:<${NO_LIST(n)}>`)) ?? '', /^550 /);
    await client.quit();
  });
});

describe('message and recipient rates', () => {
  let f: Front;
  before(async () => {
    f = await startFront({
      AUTOLIST_SMTP_RATE_MESSAGES_PER_IP: '2',
      AUTOLIST_SMTP_RATE_MESSAGES_PER_SENDER: '3',
      AUTOLIST_SMTP_RATE_RECIPIENTS_PER_IP: '4',
      AUTOLIST_SMTP_RATE_RECIPIENTS_PER_SENDER: '5',
      AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS: '127.0.0.9',
      AUTOLIST_RATE_LIMIT_KEYS: '10',
    });
  });
  after(() => f.close());

  it('answers MAIL past the client address’s message rate with 450 4.7.1 slow down, and another address still sends', async () => {
    const before = await metric(f, 'autolist_rate_limited_total', { front: 'smtp', limit: 'messages_per_ip' });
    const client = await greeted(f.front.address.port, '127.0.0.2');
    assert.match((await client.ask('EHLO client.test')) ?? '', /^250 /);
    assert.match((await client.ask(`MAIL FROM:<a@example.org>`)) ?? '', /^250 /);
    assert.match((await client.ask('RSET')) ?? '', /^250 /);
    assert.match((await client.ask(`MAIL FROM:<b@example.org>`)) ?? '', /^250 /);
    assert.match((await client.ask('RSET')) ?? '', /^250 /);
    const refused = (await client.ask(`MAIL FROM:<c@example.org>`)) ?? '';
    assert.match(refused, /^450 4\.7\.1 too much mail from 127\.0\.0\.2: slow down and try again in \d+ seconds$/);
    await client.quit();
    const other = await transaction(f, 'd@example.org', '127.0.0.3');
    await other.quit();
    assert.equal(await metric(f, 'autolist_rate_limited_total', { front: 'smtp', limit: 'messages_per_ip' }), before + 1);
  });

  it('answers MAIL past the sender’s message rate whatever the client address', async () => {
    for (const from of ['127.0.0.4', '127.0.0.5', '127.0.0.6']) (await transaction(f, 'Busy@Example.org', from)).socket.destroy();
    const client = await greeted(f.front.address.port, '127.0.0.7');
    assert.match((await client.ask('EHLO client.test')) ?? '', /^250 /);
    assert.match((await client.ask('MAIL FROM:<busy@example.org>')) ?? '', /^450 4\.7\.1 too much mail from this sender: slow down/);
    assert.match((await client.ask('MAIL FROM:<>')) ?? '', /^250 /);
    await client.quit();
    assert.equal(await metric(f, 'autolist_rate_limited_total', { front: 'smtp', limit: 'messages_per_sender' }), 1);
  });

  it('answers RCPT past the client address’s recipient rate with 450 4.7.1, before looking at the recipient', async () => {
    const client = await transaction(f, CHEF, '127.0.0.8');
    for (let n = 0; n < 4; n++) assert.match((await client.ask(`RCPT TO:<${LIST}>`)) ?? '', /^250 /);
    // In the language of the family of the list asked for (liste: French), as its refusals are.
    assert.match((await client.ask(`RCPT TO:<${LIST}>`)) ?? '', /^450 4\.7\.1 trop de destinataires venant de 127\.0\.0\.8 : ralentissez/);
    assert.match((await client.ask(`RCPT TO:<${NO_LIST(1)}>`)) ?? '', /^450 4\.7\.1 /, 'not resolved: the rate answers first');
    await client.quit();
  });

  it('answers RCPT past the sender’s recipient rate; an exempt client address and the null sender are not counted', async () => {
    // 127.0.0.9 is in AUTOLIST_SMTP_RATE_EXEMPT_NETWORKS: its 5 messages pass the per-address rate of 2;
    // the null sender (bounces) is not counted per sender: 4 pass the per-sender rate of 3.
    const client = await greeted(f.front.address.port, '127.0.0.9');
    assert.match((await client.ask('EHLO client.test')) ?? '', /^250 /);
    for (let n = 0; n < 4; n++) {
      assert.match((await client.ask(`MAIL FROM:<>`)) ?? '', /^250 /);
      assert.match((await client.ask('RSET')) ?? '', /^250 /);
    }
    assert.match((await client.ask(`MAIL FROM:<writer@example.org>`)) ?? '', /^250 /);
    for (let n = 0; n < 5; n++) assert.match((await client.ask(`RCPT TO:<${NO_LIST(n)}>`)) ?? '', /^550 /);
    assert.match((await client.ask(`RCPT TO:<${NO_LIST(9)}>`)) ?? '', /^450 4\.7\.1 trop de destinataires venant de cet expediteur : ralentissez/);
    await client.quit();
  });

  it('holds at most AUTOLIST_RATE_LIMIT_KEYS keys per rate, however many senders come', async () => {
    const client = await greeted(f.front.address.port, '127.0.0.9');
    assert.match((await client.ask('EHLO client.test')) ?? '', /^250 /);
    for (let n = 0; n < 40; n++) {
      assert.match((await client.ask(`MAIL FROM:<sender-${n}@example.org>`)) ?? '', /^250 /);
      assert.match((await client.ask('RSET')) ?? '', /^250 /);
    }
    await client.quit();
    const held = await metric(f, 'autolist_rate_limit_keys', { front: 'smtp', limit: 'messages_per_sender' });
    assert.ok(held > 0 && held <= 10, `${held} keys held`);
  });
});
