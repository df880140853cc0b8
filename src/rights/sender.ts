import { normaliseSender } from '../address/sender-address.js';

/** An address already as normaliseSender writes it: lower-case ASCII, dot-atoms, no subaddress. The usual sender. */
const PLAIN = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*@[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;

/**
 * The sender as decisions compare it: normalised (lower case, no `+tag`, no `<...>`), empty for a
 * bounce (`<>`), and text that is no address kept as written (it matches no one). A sender that is
 * already normal skips the normalising, which costs more than a cached decision.
 */
export function senderOf(raw: string): string {
  if (PLAIN.test(raw)) return raw;
  const normalised = normaliseSender(raw);
  if (normalised) return normalised.address;
  return /^[\s<>]*$/.test(raw) ? '' : raw.trim().toLowerCase();
}

/** The domain of a sender senderOf gave; empty when it has none. */
export function domainOf(sender: string): string {
  return normaliseSender(sender)?.domain ?? '';
}
