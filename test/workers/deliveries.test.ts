/**
 * One message, two SMTP workers sharing the delivery record: whichever worker each try reaches, and
 * even when two tries run at once, every member gets it once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServeProcess } from '../harness/serve.js';
import { CHEF, demoAddresses, message, outboxBatches, swaks } from '../smtp/helpers.js';

const EVERYONE = 'liste.personnels-national@lists.example.org';
const persons = demoAddresses((a) => (a.get('objectclass') ?? []).some((c) => /^inetOrgPerson$/i.test(c)));

/** How many copies each address received, from the outbox's envelopes. */
function copies(outbox: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const batch of outboxBatches(outbox)) for (const r of batch.recipients) counts.set(r.toLowerCase(), (counts.get(r.toLowerCase()) ?? 0) + 1);
  return counts;
}

describe('a message tried on several SMTP workers', { timeout: 180_000 }, () => {
  let dir: string;
  let server: ServeProcess;
  let smtpPort: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-worker-deliveries-'));
    // Small batches: the fan-out to 3,000 members takes long enough for a second try to arrive during it.
    server = ServeProcess.inFolder(dir, { AUTOLIST_SMTP_WORKERS: '2', AUTOLIST_RELAY_BATCH_SIZE: '10', AUTOLIST_RELAY_PARALLEL_BATCHES: '1' });
    smtpPort = Number(new URL(String((await server.fronts()).smtp)).port);
  });
  after(() => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends once to each member when the same message reaches both workers at once, and says so to the later try', async () => {
    const data = message({ From: CHEF, To: EVERYONE, Subject: 'twice at once', 'Message-ID': '<twice-at-once@example.org>' }, 'One copy each.');
    // Connections are dealt round robin: the two sessions are on different workers.
    const [first, second] = await Promise.all([swaks(smtpPort, { from: CHEF, to: EVERYONE, data }), swaks(smtpPort, { from: CHEF, to: EVERYONE, data })]);
    const replies = [first.lastReply, second.lastReply].sort();
    assert.ok(
      replies.every((r) => r.startsWith('250')),
      replies.join('\n'),
    );
    assert.equal(replies.filter((r) => /deja remis/.test(r)).length, 1, replies.join('\n'));
    const counts = copies(join(dir, 'outbox'));
    assert.equal(counts.size, persons.length);
    assert.deepEqual([...new Set(counts.values())], [1]);
  });

  it('recognises a retry on the other worker, and a new message there sends again', async () => {
    const data = message({ From: CHEF, To: EVERYONE, Subject: 'retried', 'Message-ID': '<retried-on-another-worker@example.org>' }, 'Retried.');
    const before = outboxBatches(join(dir, 'outbox')).length;
    const replies: string[] = [];
    for (let i = 0; i < 3; i++) replies.push((await swaks(smtpPort, { from: CHEF, to: EVERYONE, data })).lastReply);
    assert.match(replies[0] ?? '', /^250 /);
    assert.ok(
      replies.slice(1).every((r) => /^250 .*deja remis/.test(r)),
      replies.join('\n'),
    );
    assert.equal(outboxBatches(join(dir, 'outbox')).length - before, Math.ceil(persons.length / 10));
  });
});
