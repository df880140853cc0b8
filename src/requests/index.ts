export { mayEverAllow } from './about-answer.js';
export type { RequestContext, RequestMessage, RequestServices, RobotAnswer } from './context.js';
export { answerRequest } from './robot.js';
export { TOKEN_REPLIES, type TokenReplyHandler } from './token-replies.js';
