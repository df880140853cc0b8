/**
 * Delivery status notifications sent to a list's bounce address: parsed (RFC 3464), counted by
 * address, shown by the HTTP API and by `autolist bounces`; nothing goes back to the list.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/http/app.js';
import { autolist } from '../harness/cli.js';
import { dsn, outboxBatches, startFront, swaks, type Front } from './helpers.js';

const BOUNCES = 'liste.chefs-2a-bounces@lists.example.org';

describe('bounces', () => {
  let f: Front;
  before(async () => {
    f = await startFront();
  });
  after(() => f.close());

  it('counts the failed recipients of a DSN sent to LIST-bounces, relays nothing, and shows them over HTTP', async () => {
    const gone = 'ancien.agent@example.org';
    for (let i = 0; i < 2; i++) {
      const result = await swaks(f.front.address.port, { from: '<>', to: BOUNCES, data: dsn(BOUNCES, gone, 'lent@example.org') });
      assert.match(result.lastReply, /^250 2\.0\.0 liste\.chefs-2a-bounces@lists\.example\.org : 1 destinataire en echec enregistre/, result.transcript);
    }
    assert.deepEqual(outboxBatches(f.outbox), []);
    const { addresses } = f.services.bounces.query({ limit: 10 });
    assert.equal(addresses.length, 1);
    assert.equal(addresses[0]?.address, gone);
    assert.equal(addresses[0]?.count, 2);
    assert.deepEqual(addresses[0]?.lists, ['liste.chefs-2a@lists.example.org']);
    assert.equal(addresses[0]?.lastStatus, '5.1.1');
    assert.match(addresses[0]?.lastDiagnostic ?? '', /550 5\.1\.1 .*User unknown/);

    const app = await buildApp(f.services);
    try {
      const response = await app.inject({ method: 'GET', url: '/v1/bounces?list=liste.chefs-2a@lists.example.org' });
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json() as { total: number; addresses: Array<{ address: string; count: number }> };
      assert.equal(body.total, 1);
      assert.deepEqual(
        body.addresses.map((a) => [a.address, a.count]),
        [[gone, 2]],
      );
      const other = await app.inject({ method: 'GET', url: '/v1/bounces?list=liste.chefs-56@lists.example.org' });
      assert.equal((other.json() as { total: number }).total, 0);
    } finally {
      await app.close();
    }
  });

  it('drops mail to a bounce address that is not a DSN', async () => {
    const data = ['From: someone@example.org', `To: ${BOUNCES}`, 'Subject: out of office', '', 'I am away.', '.'].join('\r\n');
    const result = await swaks(f.front.address.port, { from: 'someone@example.org', to: BOUNCES, data });
    assert.match(result.lastReply, /^250 2\.0\.0 .* : pas un avis de non-remise, ignore$/);
    assert.deepEqual(outboxBatches(f.outbox), []);
  });

  it('autolist bounces reads the record file', async () => {
    await f.services.bounces.close();
    const env = { AUTOLIST_BOUNCES_FILE: f.services.config.smtp.bouncesFile };
    const { code, stdout, stderr } = await autolist(['bounces', '--json'], env);
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as { total: number; addresses: Array<{ address: string; count: number; lastStatus: string }> };
    assert.deepEqual(
      result.addresses.map((a) => [a.address, a.count, a.lastStatus]),
      [['ancien.agent@example.org', 2, '5.1.1']],
    );
    const text = await autolist(['bounces', '--list', 'liste.chefs-56@lists.example.org'], env);
    assert.match(text.stdout, /no bounces recorded/);
  });
});
