import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config/config.js';

/** The problems a configuration is refused for; fails the test when it is accepted. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}
