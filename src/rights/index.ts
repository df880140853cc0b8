export { Rights, type RightsOptions } from './rights.js';
export { memberOfAddress } from './conditions.js';
export type { Decision, DecisionContext, DecisionModerators, MemberCheck, Standing, Verdict } from './types.js';
