import { randomBytes } from 'node:crypto';

/** A held message's id: 12 random bytes in base64url, 16 characters. */
export const HELD_ID = /^[A-Za-z0-9_-]{16}$/;

/**
 * A new held message's id. Never one that begins with `-`: an administrator passes it to `autolist
 * approve ID`, whose argument parser would read such an id as an option.
 */
export function newHeldId(): string {
  for (;;) {
    const id = randomBytes(12).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
