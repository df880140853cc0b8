import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { linkSecret, TokenExpiredError, TokenInvalidError, TokenSigner } from '../../src/links/index.js';

describe('signed tokens', () => {
  const signer = new TokenSigner('a'.repeat(32));
  const inAnHour = new Date(Date.now() + 3600_000);

  it('gives back what was signed, for the same purpose', () => {
    const token = signer.sign('moderate', { list: 'liste.chefs-56@lists.example.org', id: 'm1' }, inAnHour);
    const data = signer.verify<{ list: string; id: string }>('moderate', token);
    assert.equal(data.list, 'liste.chefs-56@lists.example.org');
    assert.equal(data.id, 'm1');
  });

  it('refuses a token signed for another purpose, with another key, or altered', () => {
    const token = signer.sign('moderate', { id: 'm1' }, inAnHour);
    assert.throws(() => signer.verify('unsubscribe', token), TokenInvalidError);
    assert.throws(() => new TokenSigner('b'.repeat(32)).verify('moderate', token), TokenInvalidError);
    const [body, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ id: 'm2', exp: 4102444800 })).toString('base64url');
    assert.throws(() => signer.verify('moderate', `${forged}.${mac}`), TokenInvalidError);
    assert.throws(() => signer.verify('moderate', `${body}.${mac}x`), TokenInvalidError);
    assert.throws(() => signer.verify('moderate', body), TokenInvalidError);
    assert.throws(() => signer.verify('moderate', `${token}.${'x'.repeat(5000)}`), TokenInvalidError);
  });

  it('refuses a token past its time, saying when it expired', () => {
    const token = signer.sign('moderate', { id: 'm1' }, new Date('2026-01-01T00:00:00Z'));
    assert.throws(
      () => signer.verify('moderate', token, new Date('2026-01-02T00:00:00Z')),
      (error: unknown) => error instanceof TokenExpiredError && error.expiredAt.toISOString() === '2026-01-01T00:00:00.000Z',
    );
    assert.equal(signer.verify<{ id: string }>('moderate', token, new Date('2025-12-31T00:00:00Z')).id, 'm1');
  });
});

describe('the link secret', () => {
  it('is the configured one when set, else made once and kept private in the state folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'autolist-secret-'));
    try {
      assert.equal(linkSecret('configured-secret', dir), 'configured-secret');
      const made = linkSecret(undefined, join(dir, 'state'));
      assert.ok(made.length >= 32);
      assert.equal(linkSecret(undefined, join(dir, 'state')), made);
      assert.equal(statSync(join(dir, 'state', 'link-secret')).mode & 0o777, 0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
