export { Rights, type RightsOptions } from './rights.js';
export { memberOfAddress } from './conditions.js';
export type { Decision, DecisionContext, EntryMatcher, Verdict } from './types.js';
