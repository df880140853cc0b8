/**
 * The headers of a list's copy as the SMTP front writes it (Received first of all), for HELO names,
 * subjects, senders and bodies a client chooses: the front with swaks as the client, and the outbox.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { holdsAsync } from '../harness/property.js';
import { CHEF, LIST, message, outboxBatches, startFront, swaks, type Front } from './helpers.js';

/** The header block's lines, checked: CRLF only, each line a header start or a continuation (a blank, then something). */
function headerKeys(block: string): string[] {
  assert.doesNotMatch(block, /\r(?!\n)|(?<!\r)\n/, `a bare CR or LF in ${JSON.stringify(block)}`);
  const keys: string[] = [];
  for (const line of block.split('\r\n')) {
    if (/^[ \t]/.test(line) && keys.length > 0 && /[^ \t]/.test(line)) continue;
    const key = /^([!-9;-~]+):/.exec(line)?.[1];
    assert.ok(key !== undefined, `${JSON.stringify(line)} is neither a header nor a continuation, in ${JSON.stringify(block)}`);
    keys.push(key.toLowerCase());
  }
  return keys;
}

describe('a list copy written by the SMTP front', () => {
  let f: Front;
  before(async () => {
    f = await startFront();
  });
  after(() => f.close());

  const text = fc.stringMatching(/^[A-Za-zà-ÿ0-9 ,.!?-]{0,120}$/);
  let sent = 0;

  /** Sends one message with this HELO name, subject, author and body; checks its copy, alone in the outbox. */
  async function sendAndCheck(name: string, subject: string, author: string, body: string): Promise<void> {
    rmSync(f.outbox, { recursive: true, force: true });
    const data = message({ From: `${author} <${CHEF}>`, To: LIST, Subject: subject, 'Message-ID': `<p${++sent}@example.org>` }, `text: ${body}\r\nend`);
    const result = await swaks(f.front.address.port, { from: CHEF, to: LIST, data, extra: ['--helo', name] });
    assert.match(result.lastReply, /^250 /, result.transcript);
    const batches = outboxBatches(f.outbox);
    assert.ok(batches.length > 0, 'a copy in the outbox');
    for (const batch of batches) {
      const [head = '', ...rest] = batch.message.toString('binary').split('\r\n\r\n');
      const keys = headerKeys(head);
      assert.equal(keys.filter((k) => k === 'received').length, 1, head);
      assert.equal(keys.filter((k) => k === 'subject').length, 1, head);
      assert.equal(rest.join('\r\n\r\n'), Buffer.from(`text: ${body}\r\nend\r\n`, 'utf8').toString('binary'));
    }
  }

  // A message through SMTP per run: few runs, each a whole transaction.
  const bounds = { numRuns: 12, minRuns: 12, timeLimitMs: 60_000 };

  it('has one Received line and well-formed headers, and the body as sent, whatever the subject, author and body', async () => {
    const helo = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}(\.[a-z0-9-]{1,20}){0,6}$/);
    await holdsAsync(fc.asyncProperty(helo, text, text, text, sendAndCheck), bounds);
  });

  // A counter-example of the property above with UTF-8 HELO names: Received was added with mailsplit's Headers.add, whose
  // folding broke it before the byte 0xA0 of "à".
  it('keeps Received one header for a HELO name in UTF-8 ("à" ends in the byte 0xA0)', async () => {
    await sendAndCheck(`a${'à'.repeat(40)}.example.org`, '', '', '');
  });
});
