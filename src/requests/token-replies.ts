import { MODERATE_PURPOSE, moderationReply } from '../moderation/index.js';
import { CONFIRM_PURPOSE } from '../subscriptions/index.js';
import { confirmSubscription } from './confirm-subscription.js';
import type { RobotAnswer, TokenReplyContext } from './context.js';

/** Does what a token reply asks, once its token is checked for the handler's purpose: `data` is what was signed. */
export type TokenReplyHandler = (data: Record<string, unknown> & { exp: number }, context: TokenReplyContext) => Promise<RobotAnswer>;

/**
 * The purposes a token in a reply to LIST-request may have, each with what does it. A token is
 * checked against each purpose in turn (its MAC covers the purpose): the first that verifies acts.
 */
export const TOKEN_REPLIES: Readonly<Record<string, TokenReplyHandler>> = {
  [CONFIRM_PURPOSE]: confirmSubscription,
  [MODERATE_PURPOSE]: moderationReply,
};
