export { TokenExpiredError, TokenInvalidError } from './errors.js';
export { linkSecret } from './secret.js';
export { TokenSigner } from './signed-token.js';
