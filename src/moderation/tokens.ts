import type { TokenSigner } from '../links/index.js';

/** The purpose of a moderator's token for one held message: in the link to the moderation view and in the reply to LIST-request. */
export const MODERATE_PURPOSE = 'moderate';
/** The purpose of a moderator's token for the messages held for one list (the explorer's list view). */
export const MODERATION_LIST_PURPOSE = 'moderation-list';

/** What a moderator's token for a message says: which message, and who holds the token. */
export interface MessageCapability {
  id: string;
  by: string;
}

export interface ListCapability {
  list: string;
  by: string;
}

export function messageToken(signer: TokenSigner, capability: MessageCapability, expiresAt: Date): string {
  return signer.sign(MODERATE_PURPOSE, { ...capability }, expiresAt);
}

export function listToken(signer: TokenSigner, capability: ListCapability, expiresAt: Date): string {
  return signer.sign(MODERATION_LIST_PURPOSE, { ...capability }, expiresAt);
}

/** The capability a message token carries: TOKEN_INVALID or TOKEN_EXPIRED otherwise. */
export function readMessageToken(signer: TokenSigner, token: string): MessageCapability {
  return messageCapability(signer.verify<Record<string, unknown>>(MODERATE_PURPOSE, token));
}

/** The capability in the data of a verified message token. */
export function messageCapability(data: Record<string, unknown>): MessageCapability {
  return { id: String(data.id), by: String(data.by) };
}

export function readListToken(signer: TokenSigner, token: string): ListCapability {
  const data = signer.verify<Record<string, unknown>>(MODERATION_LIST_PURPOSE, token);
  return { list: String(data.list), by: String(data.by) };
}
