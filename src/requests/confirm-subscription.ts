import type { ConfirmData } from '../subscriptions/index.js';
import type { RequestContext, RobotAnswer } from './context.js';
import { outcomeAnswer } from './outcome-answer.js';
import { tokenInvalidAnswer } from './token-answers.js';

/**
 * The reply to a confirmation of subscribe or unsubscribe: the pending request it names is done,
 * once, the family's rules deciding again. A token for another list is refused.
 */
export async function confirmSubscription(data: Record<string, unknown>, { list, services }: RequestContext): Promise<RobotAnswer> {
  const confirm = data as unknown as ConfirmData;
  if (confirm.l !== list.address || (confirm.c !== 'subscribe' && confirm.c !== 'unsubscribe') || typeof confirm.a !== 'string' || typeof confirm.n !== 'string') return tokenInvalidAnswer(list);
  return outcomeAnswer(list, await services.subscriptions.confirm(confirm), confirm.c);
}
