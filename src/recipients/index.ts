export { checkRecipient, type RecipientQuestion, type RecipientServices, type RecipientVerdict } from './recipient-check.js';
export { type Emptiness, whyEmpty } from './empty-list.js';
export { recipientLanguage } from './language.js';
export { roleTarget } from './role-target.js';
export { resolveRole, roleAddress, type Role } from './roles.js';
