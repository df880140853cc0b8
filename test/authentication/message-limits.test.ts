/** The bounds put on a message before it is checked: header block size, DKIM signatures checked. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { limitMessage } from '../../src/authentication/message-limits.js';

const LIMITS = { maxHeaderBytes: 1024, maxSignatures: 2 };

function signature(selector: string): string {
  return `DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=${selector};\r\n\th=from; bh=AAAA; b=AAAA\r\n`;
}

describe('limitMessage', () => {
  it('leaves a message within its limits as it is (the same buffer)', () => {
    const message = Buffer.from(`${signature('one')}From: a@example.org\r\n\r\nbody\r\n`);
    const limited = limitMessage(message, LIMITS);
    assert.ok(limited.ok);
    assert.equal(limited.message, message);
    assert.equal(limited.signaturesIgnored, 0);
  });

  it('keeps the topmost signatures, each with its folded lines, and the rest of the message untouched', () => {
    const message = Buffer.from(`${signature('one')}Received: from x\r\n${signature('two')}${signature('three')}dkim-signature : v=1; s=four\r\nFrom: a@example.org\r\n\r\n${signature('body')}`);
    const limited = limitMessage(message, LIMITS);
    assert.ok(limited.ok);
    assert.equal(limited.signaturesIgnored, 2);
    assert.equal(limited.message.toString(), `${signature('one')}Received: from x\r\n${signature('two')}From: a@example.org\r\n\r\n${signature('body')}`);
  });

  it('reads messages with bare LF line ends', () => {
    const message = Buffer.from('DKIM-Signature: s=1\nDKIM-Signature: s=2\n\tfolded\nDKIM-Signature: s=3\nFrom: a@example.org\n\nbody\n');
    const limited = limitMessage(message, LIMITS);
    assert.ok(limited.ok);
    assert.equal(limited.message.toString(), 'DKIM-Signature: s=1\nDKIM-Signature: s=2\n\tfolded\nFrom: a@example.org\n\nbody\n');
  });

  it('does not take other fields for signatures', () => {
    const message = Buffer.from('DKIM-Signatures: s=1\nX-DKIM-Signature: s=2\nDKIM-Signature-X: s=3\nFrom: a@example.org\n\n');
    const limited = limitMessage(message, { ...LIMITS, maxSignatures: 0 });
    assert.ok(limited.ok);
    assert.equal(limited.signaturesIgnored, 0);
  });

  it('refuses a header block larger than the limit, wherever its end', () => {
    const big = Buffer.from(`From: a@example.org\r\nX-Filler: ${'x'.repeat(2000)}\r\n\r\nbody`);
    assert.deepEqual(limitMessage(big, LIMITS), { ok: false, reason: 'header block larger than 1024 bytes' });
    const headersOnly = Buffer.from(`From: a@example.org\r\nX-Filler: ${'x'.repeat(2000)}\r\n`);
    assert.equal(limitMessage(headersOnly, LIMITS).ok, false);
  });

  it('takes a message without a body for a header block, when within the limit', () => {
    const message = Buffer.from(`${signature('one')}${signature('two')}${signature('three')}From: a@example.org\r\n`);
    const limited = limitMessage(message, LIMITS);
    assert.ok(limited.ok);
    assert.equal(limited.signaturesIgnored, 1);
    assert.equal(limited.message.toString(), `${signature('one')}${signature('two')}From: a@example.org\r\n`);
  });

  it('accepts a large body after a small header block', () => {
    const message = Buffer.from(`From: a@example.org\r\n\r\n${'x'.repeat(100_000)}`);
    assert.equal(limitMessage(message, LIMITS).ok, true);
  });
});
