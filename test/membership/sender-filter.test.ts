import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DirectorySettings } from '../../src/charter/list.js';
import { senderFilter } from '../../src/membership/sender-filter.js';

const settings = (alternateAddressAttributes: string[]): DirectorySettings => ({
  base: 'dc=example,dc=org',
  scope: 'sub',
  memberAttribute: 'mail',
  alternateAddressAttributes,
});

describe('senderFilter', () => {
  it('asks the member attribute alone when the family names no alternates', () => {
    assert.equal(senderFilter('jean@example.org', settings([])).toString(), '(mail=jean@example.org)');
  });

  it('asks each address attribute once', () => {
    assert.equal(senderFilter('jean@example.org', settings(['mailLocalAddress', 'MAIL'])).toString(), '(|(mail=jean@example.org)(mailLocalAddress=jean@example.org))');
  });

  it("asks Active Directory's proxyAddresses in its smtp: form", () => {
    assert.equal(senderFilter('jean@example.org', settings(['proxyAddresses'])).toString(), '(|(mail=jean@example.org)(proxyAddresses=smtp:jean@example.org))');
  });

  it('escapes what the address holds', () => {
    assert.equal(senderFilter('a*(b)\\@example.org', settings([])).toString(), '(mail=a\\2a\\28b\\29\\5c@example.org)');
  });
});
