/**
 * A flood of hostile recipients against `autolist serve` (the process, embedded directory): every
 * session is cut at the hard error limit, /healthz answers throughout, a legitimate sender still
 * gets through. Behaviour only; the latency figures are bench/flood.ts's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flood, HealthSampler } from '../harness/flood.js';
import { ServeProcess } from '../harness/serve.js';
import { envelope, sendData } from '../harness/smtp-client.js';
import { waitUntil } from '../harness/wait.js';
import { CHEF, LIST } from './helpers.js';

const TOTAL = 2000;
const CONNECTIONS = 20;
/** Recipients each flooding session sends: more than the limit, so that every session must be cut. */
const PER_SESSION = 25;
const LIMIT = 20;

describe('a flood of bad recipients', { timeout: 180_000 }, () => {
  let dir: string;
  let server: ServeProcess;
  let origin: string;
  let smtpPort: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-flood-'));
    server = ServeProcess.inFolder(dir);
    const fronts = await server.fronts();
    origin = String(fronts.http);
    smtpPort = Number(new URL(String(fronts.smtp)).port);
  });
  after(() => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('cuts every session at the hard error limit while /healthz keeps answering and a legitimate sender gets 250', async () => {
    const health = new HealthSampler(origin);
    const flooding = flood(smtpPort, { total: TOTAL, connections: CONNECTIONS, perSession: PER_SESSION });

    // A legitimate sender, in a session of its own, while the flood runs.
    const { client, replies } = await envelope(smtpPort, CHEF, [LIST]);
    assert.match(replies[0] ?? '', /^250 /);
    assert.match(await sendData(client, `From: ${CHEF}\r\nTo: ${LIST}\r\nSubject: during the flood\r\nMessage-ID: <flood-test@example.org>\r\n\r\nHello.\r\n`), /^250 /);
    await client.quit();

    const sessions = await flooding;
    const samples = await health.stop();

    assert.equal(sessions.length, TOTAL / PER_SESSION);
    for (const { replies, cut } of sessions) {
      assert.ok(cut, `a session not cut: ${replies.slice(-3).join(' | ')}`);
      // EHLO and MAIL, then exactly LIMIT refusals (autolist's 550 or smtp-server's 501), then 421.
      assert.equal(replies.length, 2 + LIMIT + 1, replies.join('\n'));
      for (const refusal of replies.slice(2, 2 + LIMIT)) assert.match(refusal, /^5[05][01] /);
    }
    assert.ok(samples.length > 0, 'no /healthz sample was taken during the flood');
    assert.deepEqual([...new Set(samples.map((s) => s.status))], [200], 'every /healthz answer during the flood was 200');

    assert.equal(server.child.exitCode, null, 'the process is alive');
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    assert.match(metrics, new RegExp(`^autolist_smtp_hard_error_disconnects_total ${TOTAL / PER_SESSION}$`, 'm'));
    assert.equal((await fetch(`${origin}/healthz`)).status, 200);

    // One warning a session cut, naming the client (the log lines arrive through a pipe: waited for, within a bound).
    const cutLines = (): Array<Record<string, unknown>> => server.lines.filter((l) => l.msg === 'SMTP session closed at the hard error limit');
    await waitUntil(
      () => cutLines().length >= sessions.length,
      () => `${sessions.length} warnings of a session cut, ${cutLines().length} logged`,
      { withinMs: 30_000, everyMs: 100 },
    );
    assert.equal(cutLines().length, sessions.length);
    assert.ok(cutLines().every((l) => l.client === '127.0.0.1' && l.errors === LIMIT && l.level === 40));
  });
});
