import type { ListDefinition } from '../charter/list.js';
import { checkRecipient, type RecipientServices } from '../recipients/index.js';
import { SmtpReply } from '../reply/smtp-reply.js';
import type { DecisionContext, DecisionModerators } from '../rights/index.js';
import { t } from './messages.js';

/**
 * What a recipient accepted at RCPT stands for, and so what DATA does with the message. A list
 * `decidedAtData` was accepted provisionally: only the message (DKIM, SPF, DMARC) can decide.
 */
export type Target =
  | { kind: 'list'; address: string; list: ListDefinition; decidedAtData?: true; moderators?: DecisionModerators }
  | { kind: 'owner'; address: string; list: ListDefinition; owners: readonly string[] }
  | { kind: 'request'; address: string; list: ListDefinition }
  | { kind: 'bounces'; address: string; list: ListDefinition };

export interface RecipientRequest {
  recipient: string;
  /** The envelope sender; empty for the null sender. */
  sender: string;
  /** What the front knows of the sender (AUTH user, verified, before the message or the message's results). */
  context: DecisionContext;
}

/**
 * Accepts a recipient or refuses it with its reason, during the dialogue: a list the sender may
 * write to (or may perhaps, the message deciding), or one of its -owner, -request, -bounces
 * addresses. Throws an SmtpReply.
 */
export async function acceptRecipient(services: RecipientServices, request: RecipientRequest): Promise<Target> {
  const verdict = await checkRecipient(services, request);
  switch (verdict.kind) {
    case 'accept': {
      const { definition: list, role } = verdict;
      if (role === undefined) return { kind: 'list', address: list.address, list, ...(verdict.moderators === undefined ? {} : { moderators: verdict.moderators }) };
      return role.role === 'owner' ? { kind: 'owner', address: role.address, list, owners: role.owners } : { kind: role.role, address: role.address, list };
    }
    case 'pending':
      return { kind: 'list', address: verdict.list, list: verdict.definition, decidedAtData: true };
    case 'not-ours':
      throw new SmtpReply(550, '5.7.1', t(verdict.language, 'relayingDenied', { reason: verdict.reason }));
    case 'refuse':
      throw new SmtpReply(550, verdict.status, verdict.reason);
    case 'defer':
      throw new SmtpReply(451, verdict.status, verdict.reason);
  }
}

/**
 * Adds a target to the transaction's. One DATA reply must be right for every recipient, so a list
 * decided at end of DATA goes alone: any other recipient gets 452 4.5.3 (RFC 5321's "too many
 * recipients"), which a client sends again in another transaction.
 */
export function admitTarget(accepted: Target[], target: Target): void {
  if (accepted.some((t) => t.address === target.address)) return;
  const alone = accepted.find((t) => t.kind === 'list' && t.decidedAtData);
  if (alone !== undefined) throw new SmtpReply(452, '4.5.3', t(target.list.language, 'alone', { list: alone.address, other: target.address }));
  if (target.kind === 'list' && target.decidedAtData && accepted.length > 0) {
    throw new SmtpReply(452, '4.5.3', t(target.list.language, 'aloneItself', { list: target.address }));
  }
  accepted.push(target);
}
