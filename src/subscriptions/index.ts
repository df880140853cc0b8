export type { OptAction, OptOutcome, RequestOutcome } from './outcome.js';
export { overrideReason } from './override-reason.js';
export { CONFIRM_PURPOSE, type ConfirmData, ONE_CLICK_PURPOSE, type Override, type Place, Subscriptions, type SubscriptionsOptions } from './subscriptions.js';
