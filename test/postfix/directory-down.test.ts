import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_DIRECTORY } from '../../src/config/config.js';
import { startPolicyServer, startSocketmapServer, type RunningServer } from '../../src/postfix/index.js';
import type { Services } from '../../src/services.js';
import { Slapd } from '../harness/slapd.js';
import { D, HANG_GUARD, postmap, PolicyClient, rcptRequest, testServices } from './helpers.js';

/** One scenario, in order: an LDAP directory (slapd over the demo data) that stops, then comes back. */
describe('the Postfix fronts when the LDAP directory goes down', HANG_GUARD, () => {
  let slapd: Slapd;
  let services: Services;
  let policy: RunningServer;
  let socketmap: RunningServer;
  before(async () => {
    slapd = await Slapd.start({ ldif: DEMO_DIRECTORY });
    services = await testServices({ slapd });
    policy = await startPolicyServer(services, { host: '127.0.0.1', port: 0 });
    socketmap = await startSocketmapServer(services, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await policy.close();
    await socketmap.close();
    await services.close();
    await slapd.dispose();
  });

  it('answers from LDAP while it is up', async () => {
    assert.equal((await postmap(socketmap.address.port, { key: `liste.chefs-56${D}` })).code, 0);
    const client = await PolicyClient.connect(policy.address.port);
    try {
      assert.equal(await client.ask(rcptRequest({ sender: 'chef.bretagne@example.org', recipient: `liste.chefs-56${D}` })), 'DUNNO');
    } finally {
      client.close();
    }
  });

  it('down: the socketmap answers TEMP for a list whose members it must count, postmap reports a temporary error', async () => {
    await slapd.stop();
    const result = await postmap(socketmap.address.port, { key: `liste.chefs-2a${D}` });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /socketmap server temporary error: the directory could not answer \(DIRECTORY_UNAVAILABLE\)/);
    // What needs no directory is still answered: a name that is no list.
    assert.deepEqual(await postmap(socketmap.address.port, { key: `liste.chefs-20${D}` }), { code: 1, stdout: '', stderr: '' });
  });

  it('down: the policy server answers DEFER_IF_PERMIT 4.4.3, whether the sender or the members cannot be looked up', async () => {
    const client = await PolicyClient.connect(policy.address.port);
    try {
      // A sender not seen before: the rights cannot be decided.
      const sender = await client.ask(rcptRequest({ sender: 'chef.capital@example.org', recipient: `liste.chefs-35${D}` }));
      assert.match(sender ?? '', /^DEFER_IF_PERMIT 4\.4\.3 chef\.capital@example\.org ne peut pas etre verifie pour le moment : l'annuaire n'a pas pu repondre/);
      // A sender already known (cached entry): allowed, but the list's members cannot be counted.
      const members = await client.ask(rcptRequest({ sender: 'chef.bretagne@example.org', recipient: `liste.chefs-35${D}` }));
      assert.match(members ?? '', /^DEFER_IF_PERMIT 4\.4\.3 l'annuaire n'a pas pu repondre ; reessayez plus tard$/);
      // Refusals that need no directory stay permanent.
      assert.match((await client.ask(rcptRequest({ sender: 'chef.capital@example.org', recipient: `liste.chefs-20${D}` }))) ?? '', /^550 5\.1\.1 /);
    } finally {
      client.close();
    }
  });

  it('back up: the same questions get their real answers', async () => {
    await slapd.restart();
    assert.equal((await postmap(socketmap.address.port, { key: `liste.chefs-2a${D}` })).code, 0);
    const client = await PolicyClient.connect(policy.address.port);
    try {
      assert.equal(await client.ask(rcptRequest({ sender: 'chef.capital@example.org', recipient: `liste.chefs-35${D}` })), 'DUNNO');
    } finally {
      client.close();
    }
  });
});
