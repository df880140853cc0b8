import type { ListDefinition } from '../charter/list.js';
import { shownDate } from '../i18n/index.js';
import { MODERATE_PURPOSE } from '../moderation/index.js';
import { roleAddress } from '../recipients/index.js';
import type { RobotAnswer } from './context.js';
import { t } from './messages.js';

/** A reply whose token autolist did not sign for this list, or altered: nothing done. */
export function tokenInvalidAnswer(list: ListDefinition): RobotAnswer {
  const values = { list: list.address, request: roleAddress(list, 'request') };
  return { subject: t(list.language, 'answer.subject', values), paragraphs: [t(list.language, 'token.invalid', values)] };
}

/** A reply whose token's time is over: nothing done; a moderator is told the message's time to be decided on ran out. */
export function tokenExpiredAnswer(list: ListDefinition, expiredAt: Date, purpose: string): RobotAnswer {
  const values = { list: list.address, request: roleAddress(list, 'request'), expired: shownDate(list.language, expiredAt) };
  const key = purpose === MODERATE_PURPOSE ? 'token.expired.moderation' : 'token.expired';
  return { subject: t(list.language, 'answer.subject', values), paragraphs: [t(list.language, key, values)] };
}
