import { createHmac, timingSafeEqual } from 'node:crypto';
import { TokenExpiredError, TokenInvalidError } from './errors.js';

/** Longer tokens are refused unread: they come from outsiders (links, replies). */
const MAX_TOKEN_LENGTH = 2048;

/** A token as it shows in text (base64url data, a dot, the 43-character MAC): to find tokens in mail, or to take them out of what is passed on. */
export const TOKEN_SHAPE = /[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

/**
 * Signed, expiring tokens: the capability in a link (`/moderation/TOKEN`, one-click unsubscribe)
 * or a reply. `base64url(JSON data).base64url(HMAC-SHA256)`, the MAC over the purpose too, so
 * that a token signed for one purpose is worth nothing for another. Stateless: whether a token
 * was already used is for its user to record.
 */
export class TokenSigner {
  constructor(private readonly secret: string) {}

  sign(purpose: string, data: Record<string, unknown>, expiresAt: Date): string {
    const body = Buffer.from(JSON.stringify({ ...data, exp: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
    return `${body}.${this.mac(purpose, body)}`;
  }

  /** The data signed, once the token is checked: TOKEN_INVALID or TOKEN_EXPIRED otherwise. */
  verify<T extends Record<string, unknown>>(purpose: string, token: string, now: Date = new Date()): T & { exp: number } {
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenInvalidError();
    const [body, mac, ...rest] = token.split('.');
    if (!body || !mac || rest.length > 0) throw new TokenInvalidError();
    const expected = Buffer.from(this.mac(purpose, body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenInvalidError();
    const data = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T & { exp: number };
    if (typeof data.exp !== 'number' || data.exp * 1000 <= now.getTime()) throw new TokenExpiredError(new Date((data.exp ?? 0) * 1000));
    return data;
  }

  private mac(purpose: string, body: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}.${body}`).digest('base64url');
  }
}
