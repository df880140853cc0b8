/**
 * Checks DKIM, SPF and DMARC of received mail (mailauth, DNS through AUTOLIST_DNS_SERVERS when set),
 * and reads Authentication-Results headers written by others.
 */
export { authenticateMessage, AuthenticationUnavailableError, type AuthenticationSettings } from './authenticate.js';
export { parseAuthenticationResults } from './parse-results.js';
export type {
  AuthenticationContext,
  AuthenticationResult,
  AuthenticationResults,
  AuthenticationResultsEntry,
  DkimResult,
  DkimSignatureResult,
  DmarcResult,
  SpfResult,
} from './types.js';
