import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AdminLimitExceededError,
  BusyError,
  InappropriateMatchingError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
  OperationsError,
  SizeLimitExceededError,
  TimeLimitExceededError,
  UnavailableError,
  UndefinedTypeError,
  UnwillingToPerformError,
} from 'ldapts';
import { toDirectoryError } from '../../src/directory/ldap-errors.js';

/** What each LDAP result autolist meets becomes: its code, and whether trying again may help. */
const CASES: Array<[Error, string, boolean]> = [
  [new TimeLimitExceededError(), 'DIRECTORY_LIMIT_EXCEEDED', true],
  [new SizeLimitExceededError(), 'DIRECTORY_LIMIT_EXCEEDED', true],
  [new AdminLimitExceededError(), 'DIRECTORY_LIMIT_EXCEEDED', true],
  [new BusyError(), 'DIRECTORY_BUSY', true],
  [new UnavailableError(), 'DIRECTORY_BUSY', true],
  [new UnwillingToPerformError(), 'DIRECTORY_BUSY', true],
  [new OperationsError(), 'DIRECTORY_ERROR', true],
  [new UndefinedTypeError(), 'DIRECTORY_BAD_FILTER', false],
  [new InappropriateMatchingError(), 'DIRECTORY_BAD_FILTER', false],
  [new NoSuchObjectError(), 'DIRECTORY_NO_SUCH_BASE', false],
  [new InvalidCredentialsError(), 'DIRECTORY_BAD_CREDENTIALS', false],
  [new InsufficientAccessError(), 'DIRECTORY_REFUSED', false],
];

describe('LDAP results as directory errors', () => {
  for (const [error, code, temporary] of CASES) {
    it(`${error.constructor.name} (result ${(error as { code?: number }).code}) is ${code}, ${temporary ? 'temporary' : 'permanent'}`, () => {
      const mapped = toDirectoryError(error, 'search');
      assert.equal(mapped.code, code);
      assert.equal(mapped.temporary, temporary);
      assert.equal(mapped.resultCode, (error as { code?: number }).code);
    });
  }

  it('a transport failure (refused, reset) is the directory unavailable, temporary', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:389'), { code: 'ECONNREFUSED' });
    const mapped = toDirectoryError(refused, 'bind to ldap://127.0.0.1:389');
    assert.equal(mapped.code, 'DIRECTORY_UNAVAILABLE');
    assert.equal(mapped.temporary, true);
    assert.match(mapped.message, /ECONNREFUSED/);
  });
});
