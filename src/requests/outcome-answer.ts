import type { ListDefinition } from '../charter/list.js';
import { roleAddress } from '../recipients/index.js';
import type { OptOutcome } from '../subscriptions/index.js';
import type { RobotAnswer } from './context.js';
import { t } from './messages.js';

/** What a subscribe or unsubscribe did, told to the person in the list's language. */
export function outcomeAnswer(list: ListDefinition, outcome: OptOutcome | { result: 'used' }, action: 'subscribe' | 'unsubscribe'): RobotAnswer {
  const { language } = list;
  const values = { list: list.address, request: roleAddress(list, 'request'), action };
  const subject = t(language, 'answer.subject', values);
  switch (outcome.result) {
    case 'added':
    case 'rejoined':
    case 'excluded':
    case 'left':
    case 'deferred':
    case 'used':
      return { subject, paragraphs: [t(language, `done.${outcome.result}`, values)] };
    case 'unchanged':
      return { subject, paragraphs: [t(language, outcome.member ? 'done.member' : 'done.not-member', values)] };
    case 'refused':
      return { subject, paragraphs: [t(language, 'done.refused', { ...values, reason: outcome.decision.reasons[0] ?? outcome.decision.rule })] };
  }
}
