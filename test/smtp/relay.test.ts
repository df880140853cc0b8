/**
 * Relaying to a real MTA: Postfix's smtp-sink (read back from its dumps), and an smtp-server sink
 * that refuses chosen recipients. swaks is the client.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { demoAddresses, message, startFront, swaks, type Front } from './helpers.js';
import { SmtpSink } from './smtp-sink.js';

const LIST = 'liste.chefs-2a@lists.example.org';
const CHEF = 'chef.ajaccio@example.org';
const chefs2a = demoAddresses((a) => /^chef$/i.test(a.get('title')?.[0] ?? '') && /^2a$/i.test(a.get('departmentnumber')?.[0] ?? ''));
const once = (addresses: string[]): Map<string, number> => new Map(addresses.map((a) => [a, 1]));

describe('relaying through Postfix smtp-sink', () => {
  let sink: SmtpSink;
  let f: Front;
  before(async () => {
    sink = await SmtpSink.start();
    f = await startFront({ RELAY_URL: sink.url, RELAY_BATCH_SIZE: '4', RELAY_PARALLEL_BATCHES: '1' });
  });
  after(async () => {
    await f.close();
    await sink.dispose();
  });

  it('relays a chef’s message to exactly the members of liste.chefs-2a, in batches, from the bounce address', async () => {
    sink.clear();
    const data = message({ From: CHEF, To: LIST, Subject: 'Relais', 'Message-ID': '<relay-1@example.org>' }, 'Bonjour à tous.');
    const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(result.lastReply, /^250 /, result.transcript);
    const transactions = sink.transactions();
    assert.deepEqual(transactions.map((t) => t.recipients.length).sort(), [1, 4, 4]);
    assert.deepEqual(sink.deliveries(), once(chefs2a));
    for (const t of transactions) {
      assert.equal(t.sender, 'liste.chefs-2a-bounces@lists.example.org');
      assert.equal(t.message.split('\n').filter((l) => l.startsWith('List-Id:')).length, 1);
      assert.match(t.message, /^Subject: \[chefs-2a\] Relais$/m);
    }
  });

  it('answers 451 while the relay is down; the message tried again reaches every member once', async () => {
    sink.clear();
    await sink.stop();
    const data = message({ From: CHEF, To: LIST, Subject: 'Panne', 'Message-ID': '<relay-down@example.org>' }, 'Toujours là ?');
    const down = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(down.lastReply, /^451 4\.4\.1 /);
    await sink.restart();
    const again = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(again.lastReply, /^250 /, again.transcript);
    assert.deepEqual(sink.deliveries(), once(chefs2a));
  });

  it('sends a different message with the same Message-ID (new content) again', async () => {
    sink.clear();
    const data = message({ From: CHEF, To: LIST, Subject: 'Relais', 'Message-ID': '<relay-1@example.org>' }, 'Autre texte.');
    const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(result.lastReply, /^250 /);
    assert.deepEqual(sink.deliveries(), once(chefs2a));
  });
});

describe('relaying to an MTA that refuses some recipients', () => {
  const refusals = new Map<string, number>();
  const received: Array<{ recipients: string[] }> = [];
  /** Transactions the relay still takes before it answers 451 to MAIL FROM (it is going down); none: no limit. */
  let transactionsLeft: number | undefined;
  let relay: SMTPServer;
  let f: Front;
  before(async () => {
    relay = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onMailFrom(_address, _session, callback) {
        if (transactionsLeft === undefined || transactionsLeft-- > 0) return callback();
        callback(Object.assign(new Error('4.3.2 going down for maintenance'), { responseCode: 451 }));
      },
      onRcptTo(address, _session, callback) {
        const code = refusals.get(address.address);
        if (code === undefined) return callback();
        callback(Object.assign(new Error(`${code < 500 ? '4.2.0 try later' : '5.1.1 no such user'}`), { responseCode: code }));
      },
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          received.push({ recipients: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const { port } = relay.server.address() as { port: number };
    f = await startFront({ RELAY_URL: `smtp://127.0.0.1:${port}`, RELAY_BATCH_SIZE: '3', RELAY_PARALLEL_BATCHES: '1' });
  });
  after(async () => {
    await f.close();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
  });
  const deliveries = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const r of received.flatMap((t) => t.recipients)) counts.set(r, (counts.get(r) ?? 0) + 1);
    return counts;
  };

  it('records a member the relay refuses for good as a bounce, and accepts the message for the others', async () => {
    const [gone] = chefs2a.filter((a) => a !== CHEF);
    refusals.clear();
    refusals.set(gone as string, 550);
    received.length = 0;
    const data = message({ From: CHEF, To: LIST, Subject: 'x', 'Message-ID': '<bounce-at-relay@example.org>' }, 'x');
    const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(result.lastReply, /^250 /, result.transcript);
    assert.deepEqual(deliveries(), once(chefs2a.filter((a) => a !== gone)));
    const bounced = f.services.bounces.query({ list: LIST, limit: 10 }).addresses;
    assert.deepEqual(bounced.map((b) => [b.address, b.lastStatus]), [[gone, '5.1.1']]);
  });

  it('tempfails while a member is refused for now, then sends only to that member when the message comes again', async () => {
    const [later] = chefs2a.filter((a) => a !== CHEF).slice(-1);
    refusals.clear();
    refusals.set(later as string, 451);
    received.length = 0;
    const data = message({ From: CHEF, To: LIST, Subject: 'y', 'Message-ID': '<greylisted@example.org>' }, 'y');
    const first = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(first.lastReply, /^451 4\.2\.0 /, first.transcript);
    assert.deepEqual(deliveries(), once(chefs2a.filter((a) => a !== later)));
    refusals.clear();
    const again = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(again.lastReply, /^250 /, again.transcript);
    assert.deepEqual(deliveries(), once(chefs2a));
  });

  it('does not send again the batches a failed try delivered: the relay takes one batch, then the retry sends the rest', async () => {
    refusals.clear();
    received.length = 0;
    transactionsLeft = 1;
    const data = message({ From: CHEF, To: LIST, Subject: 'z', 'Message-ID': '<half-way@example.org>' }, 'z');
    const first = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(first.lastReply, /^451 4\.4\.1 .*going down/, first.transcript);
    assert.equal(received.length, 1, 'one batch got through before the relay refused');
    transactionsLeft = undefined;
    const retry = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(retry.lastReply, /^250 /, retry.transcript);
    assert.equal(received.length, 3);
    assert.deepEqual(deliveries(), once(chefs2a));
  });
});
