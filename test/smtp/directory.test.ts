/**
 * The directory behind the SMTP front is a real slapd: while it is down, recipients are deferred
 * with 451 4.4.3 (the client tries again, nothing is lost); once it is back, mail goes through.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeDirectory } from '../fixtures/generate-directory.js';
import { Slapd } from '../harness/slapd.js';
import { message, outboxBatches, startFront, swaks, type Front } from './helpers.js';

describe('SMTP front with the directory down', () => {
  let slapd: Slapd;
  let f: Front;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-smtp-ldap-'));
    const ldif = join(dir, 'directory.ldif');
    await writeDirectory(ldif, { persons: 200, seed: 7 });
    slapd = await Slapd.start({ ldif });
    f = await startFront({
      AUTOLIST_LDAP_URL: slapd.url,
      AUTOLIST_LDAP_BIND_DN: slapd.bindDN,
      AUTOLIST_LDAP_BIND_PASSWORD: slapd.password,
      AUTOLIST_LDAP_CONNECT_TIMEOUT_MS: '2000',
      AUTOLIST_LDAP_TIMEOUT_MS: '5000',
    });
  });
  after(async () => {
    await f.close();
    await slapd.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('relays through slapd, defers with 451 4.4.3 while slapd is stopped, and relays again once it is back', async () => {
    const port = f.front.address.port;
    const up = await swaks(port, { from: 'chef.ajaccio@example.org', to: 'liste.chefs-2a@lists.example.org', data: message({ From: 'chef.ajaccio@example.org', Subject: 'a' }, 'a') });
    assert.match(up.lastReply, /^250 /, up.transcript);

    await slapd.stop();
    const to = 'liste.chefs-2b@lists.example.org';
    const data = message({ From: 'chef.bastia@example.org', Subject: 'b', 'Message-ID': '<ldap-down@example.org>' }, 'b');
    const down = await swaks(port, { from: 'chef.bastia@example.org', to, data });
    assert.match(down.lastReply, /^451 4\.4\.3 /, down.transcript);

    await slapd.restart();
    const again = await swaks(port, { from: 'chef.bastia@example.org', to, data });
    assert.match(again.lastReply, /^250 /, again.transcript);
    const batches = outboxBatches(f.outbox);
    assert.equal(batches.length, 2);
    assert.ok(batches.some((b) => b.recipients.includes('chef.bastia@example.org')));
  });
});
