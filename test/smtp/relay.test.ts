/**
 * Relaying to a real MTA: Postfix's smtp-sink (read back from its dumps), and an smtp-server relay
 * that refuses chosen recipients or goes down. swaks is the client.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CHEF, chefs2a, demoAddresses, LIST, message, once, startFront, swaks, type Front } from './helpers.js';
import { TestRelay } from './relay-server.js';
import { SmtpSink } from './smtp-sink.js';

describe('relaying through Postfix smtp-sink', () => {
  let sink: SmtpSink;
  let f: Front;
  before(async () => {
    sink = await SmtpSink.start();
    f = await startFront({ AUTOLIST_RELAY_URL: sink.url, AUTOLIST_RELAY_BATCH_SIZE: '4', AUTOLIST_RELAY_PARALLEL_BATCHES: '1' });
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

  it('relays mail to another order of a list’s categories as that list, under its canonical address (List-Id, tag, bounces)', async () => {
    sink.clear();
    const asked = 'liste.civils.chefs-2a@lists.example.org';
    const data = message({ From: CHEF, To: asked, Subject: 'Ordre', 'Message-ID': '<relay-order@example.org>' }, 'Bonjour.');
    const result = await swaks(f.front.address.port, { from: CHEF, to: asked, data });
    assert.match(result.lastReply, /^250 /, result.transcript);
    const civilChefs2a = demoAddresses((a) => /^chef$/i.test(a.get('title')?.[0] ?? '') && /^2a$/i.test(a.get('departmentnumber')?.[0] ?? '') && a.get('employeetype')?.[0] === 'civil');
    assert.ok(civilChefs2a.length > 0);
    assert.deepEqual(sink.deliveries(), once(civilChefs2a));
    for (const t of sink.transactions()) {
      assert.equal(t.sender, 'liste.chefs.civils-2a-bounces@lists.example.org');
      const unfolded = t.message.replace(/\r?\n[ \t]+/g, ' ');
      assert.match(unfolded, /^List-Id: .*<liste\.chefs\.civils-2a\.lists\.example\.org>\r?$/m);
      assert.match(unfolded, /^List-Post: <mailto:liste\.chefs\.civils-2a@lists\.example\.org>\r?$/m);
      assert.match(unfolded, /^Subject: \[chefs\.civils-2a\] Ordre\r?$/m);
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

describe('a relay per priority level', () => {
  let urgent: SmtpSink;
  let usual: SmtpSink;
  let f: Front;
  before(async () => {
    [urgent, usual] = await Promise.all([SmtpSink.start(), SmtpSink.start()]);
    // The liste family has priority 5.
    f = await startFront({ AUTOLIST_RELAY_URL: usual.url, AUTOLIST_RELAY_URL_PRIORITY_5: urgent.url });
  });
  after(async () => {
    await f.close();
    await Promise.all([urgent.dispose(), usual.dispose()]);
  });

  it("sends a list's mail to the relay of its family's priority, not to AUTOLIST_RELAY_URL", async () => {
    const data = message({ From: CHEF, To: LIST, Subject: 'Urgent', 'Message-ID': '<priority-5@example.org>' }, 'Vite.');
    const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(result.lastReply, /^250 /, result.transcript);
    assert.deepEqual(urgent.deliveries(), once(chefs2a));
    assert.deepEqual(usual.transactions(), []);
  });
});

describe('relaying to an MTA that refuses some recipients', () => {
  let relay: TestRelay;
  let f: Front;
  before(async () => {
    relay = await TestRelay.start();
    f = await startFront({ AUTOLIST_RELAY_URL: relay.url, AUTOLIST_RELAY_BATCH_SIZE: '3', AUTOLIST_RELAY_PARALLEL_BATCHES: '1' });
  });
  after(async () => {
    await f.close();
    await relay.close();
  });

  it('records a member the relay refuses for good as a bounce, and accepts the message for the others', async () => {
    const [gone] = chefs2a.filter((a) => a !== CHEF);
    relay.reset();
    relay.refusals.set(gone as string, 550);
    const data = message({ From: CHEF, To: LIST, Subject: 'x', 'Message-ID': '<bounce-at-relay@example.org>' }, 'x');
    const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(result.lastReply, /^250 /, result.transcript);
    assert.deepEqual(relay.deliveries(), once(chefs2a.filter((a) => a !== gone)));
    const bounced = f.services.bounces.query({ list: LIST, limit: 10 }).addresses;
    assert.deepEqual(
      bounced.map((b) => [b.address, b.lastStatus]),
      [[gone, '5.1.1']],
    );
  });

  it('tempfails while a member is refused for now, then sends only to that member when the message comes again', async () => {
    const [later] = chefs2a.filter((a) => a !== CHEF).slice(-1);
    relay.reset();
    relay.refusals.set(later as string, 451);
    const data = message({ From: CHEF, To: LIST, Subject: 'y', 'Message-ID': '<greylisted@example.org>' }, 'y');
    const first = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(first.lastReply, /^451 4\.2\.0 /, first.transcript);
    assert.ok(!first.lastReply.includes(later as string), 'the reply names no member');
    assert.deepEqual(relay.deliveries(), once(chefs2a.filter((a) => a !== later)));
    relay.refusals.clear();
    const again = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(again.lastReply, /^250 /, again.transcript);
    assert.deepEqual(relay.deliveries(), once(chefs2a));
  });

  it('does not send again the batches a failed try delivered: the relay takes one batch, then the retry sends the rest', async () => {
    relay.reset();
    relay.transactionsLeft = 1;
    const data = message({ From: CHEF, To: LIST, Subject: 'z', 'Message-ID': '<half-way@example.org>' }, 'z');
    const first = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(first.lastReply, /^451 4\.4\.1 /, first.transcript);
    assert.ok(!/going down|smtp:\/\/|127\.0\.0\.1/.test(first.lastReply), `the reply names neither the relay nor its answer: ${first.lastReply}`);
    assert.equal(relay.received.length, 1, 'one batch got through before the relay refused');
    relay.transactionsLeft = undefined;
    const retry = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(retry.lastReply, /^250 /, retry.transcript);
    assert.equal(relay.received.length, 3);
    assert.deepEqual(relay.deliveries(), once(chefs2a));
  });

  it('keeps its connection to the relay open from one message to the next', async () => {
    relay.reset();
    const connections = relay.connections;
    for (const id of ['<reuse-1@example.org>', '<reuse-2@example.org>']) {
      const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data: message({ From: CHEF, To: LIST, Subject: 'v', 'Message-ID': id }, 'v') });
      assert.match(result.lastReply, /^250 /, result.transcript);
    }
    assert.equal(relay.received.length, 6, 'two messages of three batches');
    assert.ok(relay.connections - connections <= 1, `${relay.connections - connections} connections opened`);
  });

  it('sends nothing again when a message that reached every member comes again (its 250 was lost)', async () => {
    relay.reset();
    const data = message({ From: CHEF, To: LIST, Subject: 'w', 'Message-ID': '<lost-reply@example.org>' }, 'w');
    const first = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(first.lastReply, /^250 /, first.transcript);
    const again = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(again.lastReply, /^250 /, again.transcript);
    assert.deepEqual(relay.deliveries(), once(chefs2a));
  });
});
