/** The SMTP front's configured limits: recipients per message, connections, an idle client. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CHEF, LIST, startFront, type Front } from './helpers.js';
import { envelope, greeted, RawClient } from '../harness/smtp-client.js';

describe('the SMTP front’s limits', () => {
  let f: Front;
  before(async () => {
    f = await startFront({ AUTOLIST_SMTP_MAX_RECIPIENTS: '1', AUTOLIST_SMTP_MAX_CONNECTIONS: '1', AUTOLIST_SMTP_COMMAND_TIMEOUT_MS: '1000' });
  });
  after(() => f.close());

  it('refuses recipients past AUTOLIST_SMTP_MAX_RECIPIENTS with a 4xx, keeping the first', async () => {
    const { client, replies } = await envelope(f.front.address.port, CHEF, [LIST, 'liste.chefs-2b@lists.example.org']);
    assert.deepEqual(
      replies.map((r) => r.slice(0, 4)),
      ['250 ', '452 '],
    );
    await client.quit();
  });

  it('answers a connection past AUTOLIST_SMTP_MAX_CONNECTIONS with 421, and serves again once one is free', async () => {
    const held = await greeted(f.front.address.port);
    const extra = await RawClient.open(f.front.address.port);
    assert.match((await extra.reply()) ?? '', /^421 /);
    await held.quit();
    const next = await greeted(f.front.address.port);
    assert.match((await next.ask('HELO client.test')) ?? '', /^250 /);
    await next.quit();
  });

  it('closes a connection idle past AUTOLIST_SMTP_COMMAND_TIMEOUT_MS with a 421', async () => {
    const idle = await greeted(f.front.address.port);
    assert.match((await idle.reply()) ?? '', /^421 /);
    assert.equal(await idle.reply(), undefined, 'then the connection is closed');
  });
});
