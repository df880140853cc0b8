import { ResultCodeError } from 'ldapts';
import {
  DirectoryBadCredentialsError,
  DirectoryBadFilterError,
  DirectoryBusyError,
  DirectoryCertificateError,
  DirectoryError,
  DirectoryFailedError,
  DirectoryLimitExceededError,
  DirectoryNoSuchBaseError,
  DirectoryRefusedError,
  DirectoryUnavailableError,
} from './errors.js';

/** LDAP result codes (RFC 4511 §4.1.9) that autolist tells apart. */
const RESULT = {
  timeLimitExceeded: 3,
  sizeLimitExceeded: 4,
  strongerAuthRequired: 8,
  adminLimitExceeded: 11,
  unavailableCriticalExtension: 12,
  confidentialityRequired: 13,
  undefinedAttributeType: 17,
  inappropriateMatching: 18,
  noSuchObject: 32,
  invalidDNSyntax: 34,
  inappropriateAuthentication: 48,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53,
} as const;

/**
 * The codes Node gives a TLS connection whose peer certificate does not verify (OpenSSL's X509
 * verification results, and the host name check).
 */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Maps what ldapts throws to a DirectoryError, by class and LDAP result code (never by message:
 * servers' messages can be empty). Anything that is not an LDAP result is a transport failure
 * (refused, reset, closed, a failed TLS handshake): the directory is unavailable; but a server
 * certificate that does not verify is a lasting fault of its own.
 */
export function toDirectoryError(error: unknown, context: string): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && CERTIFICATE_CODES.has(code)) {
    return new DirectoryCertificateError(`${context}: the server's TLS certificate does not verify (${code}: ${(error as Error).message})`, { cause: error });
  }
  if (!(error instanceof ResultCodeError)) {
    const reason = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
    return new DirectoryUnavailableError(`${context}: the directory cannot be reached (${reason})`, { cause: error });
  }
  const detail = `${context}: LDAP result ${error.code} (${error.name})`;
  const options = { cause: error, resultCode: error.code };
  switch (error.code) {
    case RESULT.invalidCredentials:
    case RESULT.inappropriateAuthentication:
      return new DirectoryBadCredentialsError(`${detail}: the bind DN or password was refused`, options);
    case RESULT.noSuchObject:
    case RESULT.invalidDNSyntax:
      return new DirectoryNoSuchBaseError(`${detail}: no such search base`, options);
    case RESULT.sizeLimitExceeded:
    case RESULT.timeLimitExceeded:
    case RESULT.adminLimitExceeded:
      return new DirectoryLimitExceededError(`${detail}: the answer was cut by a limit`, options);
    case RESULT.busy:
    case RESULT.unavailable:
    case RESULT.unwillingToPerform:
      return new DirectoryBusyError(`${detail}: the directory is busy or unwilling`, options);
    case RESULT.undefinedAttributeType:
    case RESULT.inappropriateMatching:
      return new DirectoryBadFilterError(`${detail}: the directory refused the filter`, options);
    case RESULT.strongerAuthRequired:
    case RESULT.confidentialityRequired:
    case RESULT.insufficientAccessRights:
    case RESULT.unavailableCriticalExtension:
      return new DirectoryRefusedError(`${detail}: the directory refuses this client`, options);
    default:
      return new DirectoryFailedError(detail, options);
  }
}
