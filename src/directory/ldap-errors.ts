import { ResultCodeError } from 'ldapts';
import {
  DirectoryBadCredentialsError,
  DirectoryBadFilterError,
  DirectoryBusyError,
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
 * Maps what ldapts throws to a DirectoryError, by class and LDAP result code (never by message:
 * servers' messages can be empty). Anything that is not an LDAP result is a transport failure
 * (refused, reset, closed, TLS): the directory is unavailable.
 */
export function toDirectoryError(error: unknown, context: string): DirectoryError {
  if (error instanceof DirectoryError) return error;
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
