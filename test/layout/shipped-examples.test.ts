/**
 * The shipped families show something on the demo directory: every `example` of every charter in
 * families/ names a list with members there, so that `npm start` has no empty family to try.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEMO_DIRECTORY } from '../../src/config/config.js';
import { EmbeddedDirectory } from '../../src/directory/index.js';
import { membershipOf } from '../directory/helpers.js';
import { shippedResolver } from '../harness/families.js';

describe("the shipped families' examples on the demo directory", () => {
  const resolver = shippedResolver();
  let directory: EmbeddedDirectory;
  before(async () => {
    directory = await EmbeddedDirectory.load(DEMO_DIRECTORY);
  });

  it('every family has examples', () => {
    assert.ok(resolver.families.length > 1, 'the shipped families were loaded');
    for (const family of resolver.families)
      assert.ok(
        family.examples.some((e) => e.filter !== undefined),
        `${family.name} has an example`,
      );
  });

  it('every example names a list with at least one member', async () => {
    const membership = membershipOf(directory);
    const empty: string[] = [];
    for (const family of resolver.families)
      for (const example of family.examples.filter((e) => e.filter !== undefined)) {
        const address = `${example.address}@${family.header.domains[0]}`;
        const { members } = await membership.expand(resolver.resolve(address));
        if (members.length === 0) empty.push(`${family.name}: ${address} (${example.filter})`);
      }
    assert.deepEqual(empty, [], 'examples without a member on demo/directory.ldif');
  });
});
