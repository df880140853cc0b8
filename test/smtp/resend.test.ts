/**
 * The same message sent again: a retry within AUTOLIST_RETRY_WINDOW and for the same envelope and
 * content goes to nobody and its 250 says when it was delivered; anything else goes out. A message
 * without Message-ID gets one in the list copies. swaks as the client, the demo directory, the outbox.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { CHEF, chefs2a, LIST, message, outboxBatches, startFront, swaks, type Front } from './helpers.js';

const ALREADY = /^250 2\.0\.0 liste\.chefs-2a@lists\.example\.org : deja remis le (\d{4}-\d\d-\d\dT[\d:.]+Z) \(le meme message, envoye a nouveau\), pas renvoye$/;

describe('SMTP front: a message sent again', () => {
  const dirs: string[] = [];
  const fronts: Front[] = [];
  after(async () => {
    for (const f of fronts) await f.close().catch(() => undefined);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const stateDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'autolist-resend-'));
    dirs.push(dir);
    return dir;
  };
  const front = async (env: Record<string, string>): Promise<Front> => {
    const f = await startFront(env);
    fronts.push(f);
    return f;
  };
  const recipients = (f: Front): string[] => outboxBatches(f.outbox).flatMap((b) => b.recipients);
  const report = (subject: string, extra: Record<string, string> = {}): string => message({ From: CHEF, To: LIST, Subject: subject, ...extra }, 'Rapport du jour: rien à signaler.\r\n');

  it('gives a message without Message-ID one in the list copy, and sends nothing for its retry, even after a restart; the 250 says when', async () => {
    const state = stateDir();
    const first = await front({ AUTOLIST_RELAY_STATE_DIR: state });
    const data = report('sans identifiant');
    const sent = await swaks(first.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(sent.lastReply, /^250 2\.0\.0 liste\.chefs-2a@lists\.example\.org : \d+ membres?$/, sent.transcript);
    const batches = outboxBatches(first.outbox);
    assert.deepEqual(recipients(first), chefs2a);
    const head = (batches[0]?.message.toString('utf8') ?? '').split('\r\n\r\n')[0] ?? '';
    assert.match(head, /^Message-ID: <[0-9a-f-]{36}@lists\.test>$/m, head);
    assert.doesNotMatch(data, /Message-ID/i);

    const again = await swaks(first.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(again.lastReply, ALREADY, again.transcript);
    assert.equal(recipients(first).length, chefs2a.length, 'the retry goes to nobody');
    await first.close();

    const restarted = await front({ AUTOLIST_RELAY_STATE_DIR: state });
    const afterRestart = await swaks(restarted.front.address.port, { from: CHEF, to: LIST, data });
    const when = ALREADY.exec(afterRestart.lastReply)?.[1];
    assert.ok(when !== undefined, afterRestart.transcript);
    assert.ok(Math.abs(Date.parse(when) - Date.now()) < 3_600_000, `delivered at ${when}, this hour`);
    assert.deepEqual(recipients(restarted), []);
  });

  it('sends the same text again when the envelope sender differs, with or without Message-ID', async () => {
    const f = await front({ AUTOLIST_RELAY_STATE_DIR: stateDir() });
    const other = chefs2a.find((a) => a !== CHEF) as string;
    for (const data of [report('même texte'), report('même texte', { 'Message-ID': '<same@example.org>' })]) {
      for (const from of [CHEF, other]) {
        const result = await swaks(f.front.address.port, { from, to: LIST, data });
        assert.match(result.lastReply, /^250 2\.0\.0 liste\.chefs-2a@lists\.example\.org : \d+ membres?$/, result.transcript);
      }
    }
    assert.equal(outboxBatches(f.outbox).length, 4);
  });

  it('sends a message with the same Message-ID but another content again', async () => {
    const f = await front({ AUTOLIST_RELAY_STATE_DIR: stateDir() });
    for (const subject of ['version 1', 'version 2']) {
      const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data: report(subject, { 'Message-ID': '<edited@example.org>' }) });
      assert.match(result.lastReply, / : \d+ membres?$/, result.transcript);
    }
    assert.equal(outboxBatches(f.outbox).length, 2);
  });

  it('sends the identical daily report again once AUTOLIST_RETRY_WINDOW has passed', async () => {
    const f = await front({ AUTOLIST_RELAY_STATE_DIR: stateDir(), AUTOLIST_RETRY_WINDOW: '1' });
    const data = report('rapport quotidien');
    const first = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(first.lastReply, / : \d+ membres?$/, first.transcript);
    const retry = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(retry.lastReply, ALREADY, 'within the window: a retry');
    // Past the one-second window (a wait for the window to pass, not a measure of speed).
    await sleep(2_100);
    const nextDay = await swaks(f.front.address.port, { from: CHEF, to: LIST, data });
    assert.match(nextDay.lastReply, / : \d+ membres?$/, nextDay.transcript);
    assert.deepEqual(recipients(f).sort(), [...chefs2a, ...chefs2a].sort());
  });
});
