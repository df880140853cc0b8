export { TokenExpiredError, TokenInvalidError } from './errors.js';
export { linkSecret } from './secret.js';
export { TOKEN_SHAPE, TokenSigner } from './signed-token.js';
