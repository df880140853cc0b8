/**
 * What a client does to its own session (drops mid-DATA, stays silent, sends what SMTP does not
 * know) is logged at info without a stack and counted in metrics; nothing reaches the error level.
 * The SMTP front on a loopback port, driven by a raw client over a real socket.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createMetrics } from '../../src/http/metrics.js';
import { metricValue } from '../harness/prometheus.js';
import { envelope, greeted } from '../harness/smtp-client.js';
import { waitUntil } from '../harness/wait.js';
import { CHEF, LIST, outboxBatches, startFront, type Front } from './helpers.js';

describe('SMTP front: client-caused events', () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  let f: Front;
  before(async () => {
    f = await startFront({ AUTOLIST_SMTP_COMMAND_TIMEOUT_MS: '1000' }, { logger: pino({ level: 'info' }, sink) });
  });
  after(() => f.close());
  /** The events of a kind logged so far, once `count` are there (waited for, within a bound). */
  const events = async (event: string, count: number): Promise<Array<Record<string, unknown>>> => {
    const found = (): Array<Record<string, unknown>> => lines.filter((l) => l.event === event);
    await waitUntil(
      () => found().length >= count,
      () => `${count} ${event} event(s) logged, ${found().length} so far`,
      { withinMs: 10_000, everyMs: 50 },
    );
    return found();
  };
  const metric = async (event: string): Promise<number> => {
    return metricValue(await createMetrics(f.services).registry.metrics(), 'autolist_smtp_client_events_total', { event });
  };

  it('logs a client dropping mid-DATA at info, without a stack, counts it, and keeps nothing of the message', async () => {
    const { client, replies } = await envelope(f.front.address.port, CHEF, [LIST]);
    assert.match(replies[0] ?? '', /^250 /);
    assert.match((await client.ask('DATA')) ?? '', /^354 /);
    client.socket.write('Subject: coupé\r\n\r\nla moitié du message');
    client.socket.destroy();
    const [dropped] = await events('dropped_in_data', 1);
    assert.ok(dropped, JSON.stringify(lines));
    assert.equal(dropped.level, 30);
    assert.equal(dropped.err, undefined, 'no error object, no stack');
    assert.doesNotMatch(JSON.stringify(dropped), /\bat .*\.js:\d+/);
    assert.equal(await metric('dropped_in_data'), 1);
    assert.deepEqual(outboxBatches(f.outbox), []);
  });

  it('counts a client silent past the command timeout and one sending unknown commands, at info', async () => {
    const silent = await greeted(f.front.address.port);
    assert.match((await silent.reply()) ?? '', /^421 /);
    const confused = await greeted(f.front.address.port);
    assert.match((await confused.ask('HELLO there')) ?? '', /^500 /);
    assert.match((await confused.ask('DATA')) ?? '', /^503 /);
    confused.socket.destroy();
    assert.equal((await events('timeout', 1)).length, 1);
    assert.equal((await events('protocol_error', 2)).length, 2);
    assert.equal(await metric('timeout'), 1);
    assert.equal(await metric('protocol_error'), 2);
  });

  it('logged nothing at warn or error level for all of this', () => {
    assert.ok(lines.length > 0);
    assert.deepEqual(
      lines.filter((l) => (l.level as number) >= 40),
      [],
    );
  });
});
