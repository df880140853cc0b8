export type { OptAction, OptOutcome, RequestOutcome } from './outcome.js';
export { CONFIRM_PURPOSE, type ConfirmData, ONE_CLICK_PURPOSE, type Override, Subscriptions, type SubscriptionsOptions } from './subscriptions.js';
