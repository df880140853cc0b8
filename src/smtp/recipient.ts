import type { ListDefinition } from '../charter/list.js';
import { checkRecipient } from '../recipients/index.js';
import type { Services } from '../services.js';
import { SmtpReply } from './reply.js';

/** What a recipient accepted at RCPT stands for, and so what DATA does with the message. */
export type Target =
  | { kind: 'list'; address: string; list: ListDefinition }
  | { kind: 'owner'; address: string; list: ListDefinition; owners: readonly string[] }
  | { kind: 'request'; address: string; list: ListDefinition }
  | { kind: 'bounces'; address: string; list: ListDefinition };

export interface RecipientRequest {
  recipient: string;
  /** The envelope sender; empty for the null sender. */
  sender: string;
  authenticatedUser?: string;
}

/**
 * Accepts a recipient or refuses it with its reason, during the dialogue: a list the sender may
 * write to, or one of its -owner, -request, -bounces addresses. Throws an SmtpReply.
 */
export async function acceptRecipient(services: Services, request: RecipientRequest): Promise<Target> {
  const verdict = await checkRecipient(services, {
    recipient: request.recipient,
    sender: request.sender,
    ...(request.authenticatedUser === undefined ? {} : { authenticatedUser: request.authenticatedUser }),
  });
  switch (verdict.kind) {
    case 'accept': {
      const { definition: list, role } = verdict;
      if (role === undefined) return { kind: 'list', address: list.address, list };
      return role.role === 'owner' ? { kind: 'owner', address: role.address, list, owners: role.owners } : { kind: role.role, address: role.address, list };
    }
    case 'not-ours':
      throw new SmtpReply(550, '5.7.1', `relaying denied: ${verdict.reason}`);
    case 'refuse':
      throw new SmtpReply(550, verdict.status, verdict.reason);
    case 'defer':
      throw new SmtpReply(451, verdict.status, verdict.reason);
  }
}
