import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as charterErrors from '../../src/charter/errors.js';
import * as directoryErrors from '../../src/directory/errors.js';
import { AutolistError } from '../../src/errors.js';
import { PROBLEM_TYPES } from '../../src/http/problem-types.js';
import * as membershipErrors from '../../src/membership/errors.js';

/** Every concrete error class a module exports, built with placeholder arguments to read its code (those that refuse them are left out). */
function codesOf(module: Record<string, unknown>): Array<[string, AutolistError]> {
  return Object.entries(module).flatMap(([name, value]) => {
    if (typeof value !== 'function' || !(value.prototype instanceof AutolistError)) return [];
    try {
      const error = new (value as new (...args: unknown[]) => AutolistError)('x', 'x', 'x');
      // An abstract class has no code of its own.
      return error.code === undefined ? [] : [[name, error] as [string, AutolistError]];
    } catch {
      return [];
    }
  });
}

describe('problem types', () => {
  it('has one for every error a request can meet in the charters, the directory and membership', () => {
    const errors = [...codesOf(charterErrors), ...codesOf(directoryErrors), ...codesOf(membershipErrors)];
    assert.ok(errors.length >= 15, `${errors.length} error classes read`);
    for (const [name, error] of errors) {
      if (error.code === 'CONFIG_INVALID' || error.code === 'FILTER_SYNTAX') continue;
      const type = PROBLEM_TYPES.get(error.code);
      assert.ok(type, `${name} (${error.code}) has a problem type`);
      if (error.temporary) assert.equal(type.status, 503, `${name}: a temporary error is a 503 (Retry-After)`);
    }
  });

  it('gives each type its own slug', () => {
    const slugs = [...PROBLEM_TYPES.values()].map((t) => t.slug);
    assert.equal(new Set(slugs).size, slugs.length);
  });
});
