import type { HeldMessage } from '../store/held/index.js';
import { previewOf } from './preview.js';

/** A held message as the admin routes, the moderators' routes and `autolist held` give it: its envelope and times, its decoded header and text, its decision. */
export function heldView(message: HeldMessage, token?: string) {
  const preview = previewOf(message.raw);
  const { decision } = message;
  return {
    id: message.id,
    list: message.list,
    sender: message.sender,
    ...preview,
    heldAt: message.heldAt.toISOString(),
    expiresAt: message.expiresAt.toISOString(),
    state: message.state,
    ...(decision === undefined ? {} : { decision: { state: decision.state, by: decision.by, at: decision.at.toISOString(), ...(decision.reason === undefined ? {} : { reason: decision.reason }) } }),
    ...(token === undefined ? {} : { token }),
  };
}

export type HeldView = ReturnType<typeof heldView>;
