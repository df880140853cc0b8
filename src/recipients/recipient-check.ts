import { addressErrorText } from '../charter/address-messages.js';
import { AddressInvalidError, NoSuchListError, UnknownDomainError } from '../charter/errors.js';
import { languageOfAddress, siteLanguage } from '../charter/languages.js';
import type { ListDefinition } from '../charter/list.js';
import { AutolistError } from '../errors.js';
import type { Language } from '../i18n/index.js';
import type { Logger } from '../log.js';
import type { DecisionContext, DecisionModerators } from '../rights/index.js';
import type { Services } from '../services.js';
import { isStoreFailure } from '../store/index.js';
import { whyEmpty } from './empty-list.js';
import { t } from './messages.js';
import { roleTarget, type RoleTarget } from './role-target.js';

/** What a front answers for one recipient of one sender, before taking the message (in the verdict's language). */
type Verdicts =
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
  /** Try again later: 4.4.3 the directory could not answer, 4.3.0 autolist's store could not be read or an unexpected fault (logged). */
  | { kind: 'defer'; status: '4.4.3' | '4.3.0'; reason: string; list?: string };

/**
 * A verdict with its `language`: the list's, or for an address that names none that of the
 * family that read it or of its domain, else the site's (languageOfAddress). Every reason is in
 * it, and so is whatever else a front says about this recipient.
 */
export type RecipientVerdict = Verdicts & { language: Language };

/** What a recipient check works with. */
export type RecipientServices = Pick<Services, 'config' | 'logger' | 'catalog' | 'membership' | 'rights' | 'subscriptions'>;

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
    if (role !== undefined) {
      const { language } = role.list;
      if (role.refusal !== undefined) return { kind: 'refuse', status: '5.1.1', reason: role.refusal, list: role.list.address, language };
      return { kind: 'accept', list: role.list.address, rule: `role ${role.role}`, definition: role.list, role, language };
    }
    list = resolver.resolve(question.recipient);
  } catch (error) {
    const { families } = resolver;
    const language = languageOfAddress(families, question.recipient, error instanceof AutolistError ? error : undefined, siteLanguage(families, services.config.language));
    if (error instanceof UnknownDomainError || error instanceof AddressInvalidError) return { kind: 'not-ours', reason: addressErrorText(error, question.recipient, language, 'outsider'), language };
    if (error instanceof AutolistError && !error.temporary)
      return { kind: 'refuse', status: '5.1.1', reason: withSuggestions(error, addressErrorText(error, question.recipient, language), language), language };
    return deferred(services.logger, error, question, language);
  }
  const { language } = list;
  try {
    const decision = await services.rights.decide(list, 'send', question.sender, question.context);
    const reason = asReceived(decision.reasons[0] ?? `${decision.decision} (${decision.rule})`, decision.sender, question.sender);
    if (decision.decision === 'deny') return { kind: 'refuse', status: '5.7.1', reason, list: list.address, rule: decision.rule, language };
    if (decision.decision === 'defer') return { kind: 'defer', status: decision.rule === 'store' ? '4.3.0' : '4.4.3', reason, list: list.address, language };
    const empty = await whyEmpty(services.subscriptions, list);
    if (empty !== undefined) {
      const why = t(language, 'empty', { list: list.address, description: list.description, why: empty });
      return { kind: 'refuse', status: '5.2.1', reason: why, list: list.address, rule: decision.rule, language };
    }
    if (decision.decision === 'pending') return { kind: 'pending', list: list.address, reason, definition: list, unverified: decision.rule === 'unverified', language };
    return { kind: 'accept', list: list.address, rule: decision.rule, definition: list, language, ...(decision.moderators === undefined ? {} : { moderators: decision.moderators }) };
  } catch (error) {
    return deferred(services.logger, error, question, language, list.address);
  }
}

/** Why no list, and the names close to it that are lists, as the command line and the API give them. */
function withSuggestions(error: AutolistError, reason: string, language: Language): string {
  if (!(error instanceof NoSuchListError) || error.suggestions.length === 0) return reason;
  return t(language, 'didYouMean', { reason, addresses: error.suggestions.join(', ') });
}

/**
 * The reason with the sender as the client gave it: decisions (cached for every spelling) name the
 * sender normalised, in lower case and without its +tag, which is not what the client wrote.
 */
function asReceived(reason: string, normalised: string, received: string): string {
  const given = received.trim().replace(/^<(.*)>$/, '$1');
  return normalised === '' || given === '' ? reason : reason.split(normalised).join(given);
}

function deferred(logger: Logger, error: unknown, question: RecipientQuestion, language: Language, list?: string): RecipientVerdict {
  const where = list === undefined ? {} : { list };
  if (isStoreFailure(error)) {
    logger.warn({ err: error, recipient: question.recipient, ...where }, 'recipient deferred: autolist’s store could not be read');
    return { kind: 'defer', status: '4.3.0', reason: t(language, 'storeDown'), language, ...where };
  }
  if (error instanceof AutolistError && error.temporary) {
    // The reply goes to outside senders: which server failed and how is for the log only.
    logger.warn({ err: error, recipient: question.recipient, ...where }, 'recipient deferred: the directory could not answer');
    return { kind: 'defer', status: '4.4.3', reason: t(language, 'directoryDown'), language, ...where };
  }
  logger.error({ err: error, recipient: question.recipient, ...where }, 'recipient check failed');
  return { kind: 'defer', status: '4.3.0', reason: t(language, 'fault'), language, ...where };
}
