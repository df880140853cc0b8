import { AddressInvalidError, UnknownDomainError } from '../charter/errors.js';
import type { ListDefinition } from '../charter/list.js';
import { AutolistError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DecisionContext, DecisionModerators } from '../rights/index.js';
import type { Services } from '../services.js';
import { refusedAsEmpty } from './empty-list.js';
import { roleTarget, type RoleTarget } from './role-target.js';

/** What a front answers for one recipient of one sender, before taking the message. */
export type RecipientVerdict =
  /** Not a list address (another domain, not an address): the MTA decides as usual. */
  | { kind: 'not-ours'; reason: string }
  /** `definition` is the list; `role` says when the address is its -owner, -request or -bounces one; `moderators` when its message is held for them. */
  | { kind: 'accept'; list: string; rule: string; definition: ListDefinition; role?: RoleTarget; moderators?: DecisionModerators }
  /**
   * Asked before the message: only its DKIM, SPF or DMARC can decide, at end of DATA (the list's
   * members are there); `unverified` when what is missing is DMARC verifying the sender.
   */
  | { kind: 'pending'; list: string; reason: string; definition: ListDefinition; unverified: boolean }
  /** A permanent refusal: `status` is the RFC 3463 enhanced code (5.1.1 no such list or owner, 5.7.1 not allowed, 5.2.1 empty list). */
  | { kind: 'refuse'; status: '5.1.1' | '5.2.1' | '5.7.1'; reason: string; list?: string; rule?: string }
  /** Try again later: 4.4.3 the directory could not answer, 4.3.0 an unexpected fault (logged). */
  | { kind: 'defer'; status: '4.4.3' | '4.3.0'; reason: string; list?: string };

/** What a recipient check works with. */
export type RecipientServices = Pick<Services, 'config' | 'logger' | 'catalog' | 'membership' | 'rights'>;

export interface RecipientQuestion {
  recipient: string;
  /** The envelope sender; empty for a bounce. */
  sender: string;
  /** What the front knows of the sender: its AUTH user, whether it is verified, the message's results or that it is not read yet. */
  context: DecisionContext;
}

/**
 * May this sender write to this recipient? Resolves the address, decides the `send` right, and
 * refuses a list nobody would receive; a list's -owner, -request and -bounces addresses are open
 * to all. Never throws: a failure the directory may recover from defers, anything unexpected is
 * logged and defers too, so that no mail is refused by accident.
 */
export async function checkRecipient(services: RecipientServices, question: RecipientQuestion): Promise<RecipientVerdict> {
  const resolver = services.catalog.resolver;
  let list: ListDefinition;
  try {
    const role = roleTarget(services.config.smtp.defaultOwners, resolver, question.recipient);
    if (role?.refusal !== undefined) return { kind: 'refuse', status: '5.1.1', reason: role.refusal, list: role.list.address };
    if (role !== undefined) return { kind: 'accept', list: role.list.address, rule: `role ${role.role}`, definition: role.list, role };
    list = resolver.resolve(question.recipient);
  } catch (error) {
    if (error instanceof UnknownDomainError || error instanceof AddressInvalidError) return { kind: 'not-ours', reason: error.message };
    if (error instanceof AutolistError && !error.temporary) return { kind: 'refuse', status: '5.1.1', reason: error.message };
    return deferred(services.logger, error, question);
  }
  try {
    const decision = await services.rights.decide(list, 'send', question.sender, question.context);
    const reason = asReceived(decision.reasons[0] ?? `${decision.decision} (${decision.rule})`, decision.sender, question.sender);
    if (decision.decision === 'deny') return { kind: 'refuse', status: '5.7.1', reason, list: list.address, rule: decision.rule };
    if (decision.decision === 'defer') return { kind: 'defer', status: '4.4.3', reason, list: list.address };
    if (await refusedAsEmpty(services.membership, list)) {
      const why = `${list.address} (${list.description}) has no members: nobody in the directory matches it, so nobody would receive the message`;
      return { kind: 'refuse', status: '5.2.1', reason: why, list: list.address, rule: decision.rule };
    }
    if (decision.decision === 'pending') return { kind: 'pending', list: list.address, reason, definition: list, unverified: decision.rule === 'unverified' };
    return { kind: 'accept', list: list.address, rule: decision.rule, definition: list, ...(decision.moderators === undefined ? {} : { moderators: decision.moderators }) };
  } catch (error) {
    return deferred(services.logger, error, question, list.address);
  }
}

/**
 * The reason with the sender as the client gave it: decisions (cached for every spelling) name the
 * sender normalised, in lower case and without its +tag, which is not what the client wrote.
 */
function asReceived(reason: string, normalised: string, received: string): string {
  const given = received.trim().replace(/^<(.*)>$/, '$1');
  return normalised === '' || given === '' ? reason : reason.split(normalised).join(given);
}

function deferred(logger: Logger, error: unknown, question: RecipientQuestion, list?: string): RecipientVerdict {
  const where = list === undefined ? {} : { list };
  if (error instanceof AutolistError && error.temporary) {
    // The reply goes to outside senders: which server failed and how is for the log only.
    logger.warn({ err: error, recipient: question.recipient, ...where }, 'recipient deferred: the directory could not answer');
    return { kind: 'defer', status: '4.4.3', reason: 'the directory could not answer; try again later', ...where };
  }
  logger.error({ err: error, recipient: question.recipient, ...where }, 'recipient check failed');
  return { kind: 'defer', status: '4.3.0', reason: 'the list cannot be checked now; try again later', ...where };
}
