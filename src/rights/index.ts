export { Rights, type RightsOptions } from './rights.js';
export { memberOfAddress } from './conditions.js';
export type { Decision, DecisionContext, Verdict } from './types.js';
