export { approvedKey, Moderation, type ModerationServices, type RelayToList, type Verdict } from './moderation.js';
export { type HeldPreview, previewOf, splitMessage } from './preview.js';
export { readListToken, readMessageToken, messageToken, listToken, MODERATE_PURPOSE } from './tokens.js';
export { decisionText, shownDecider } from './notices.js';
export { AlreadyDecidedError } from './errors.js';
export { type ModerationReplyContext, moderationReply, verdictIn } from './reply.js';
export { type HeldView, heldView } from './view.js';
