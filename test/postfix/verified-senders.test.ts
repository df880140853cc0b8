/**
 * Verified senders on the Postfix policy path: Postfix's `client_address` against
 * AUTOLIST_TRUSTED_NETWORKS and its `sasl_username` owning the sender. A sender only DMARC could
 * verify is refused here, unless Postfix tells autolist's SMTP front who its client was
 * (AUTOLIST_SMTP_XFORWARD_CLIENTS), where DMARC is then checked at the end of DATA.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { startPolicyServer, type RunningServer } from '../../src/postfix/index.js';
import type { Services } from '../../src/services.js';
import { D, HANG_GUARD, PolicyClient, rcptRequest, testServices } from './helpers.js';

const CHEF = 'chef.bretagne@example.org';
const GENDARME = 'gendarme.bretagne@example.org';
const CHEFS_56 = `liste.chefs-56${D}`;
/** A client on the Internet: not in the default trusted networks (loopback). */
const INTERNET = '192.0.2.10';

/** A policy server over services of its own, its decisions' log lines collected; one client. */
function served(env: Record<string, string> = {}): { ask(attributes: Record<string, string>): Promise<string>; decisions: Array<Record<string, unknown>> } {
  let services: Services;
  let server: RunningServer;
  let client: PolicyClient;
  const decisions: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '' && JSON.parse(line).msg === 'policy decision') decisions.push(JSON.parse(line));
      done();
    },
  });
  before(async () => {
    services = await testServices({ env, logger: pino({ level: 'info' }, sink) });
    server = await startPolicyServer(services, { host: '127.0.0.1', port: 0 });
    client = await PolicyClient.connect(server.address.port);
  });
  after(async () => {
    client.close();
    await server.close();
    await services.close();
  });
  return { ask: async (attributes) => (await client.ask(rcptRequest({ recipient: CHEFS_56, ...attributes }))) ?? '', decisions };
}

describe('the policy server verifies senders (no XFORWARD to the SMTP front)', HANG_GUARD, () => {
  const policy = served();

  it('refuses a forged chef from a client on the Internet, saying how to be verified', async () => {
    const action = await policy.ask({ sender: CHEF, client_address: INTERNET });
    assert.match(action, /^550 5\.7\.1 chef\.bretagne@example\.org n'a pas pu etre verifie, et ne peut donc pas ecrire a liste\.chefs-56@lists\.example\.org : .*authentifiez-vous \(SMTP AUTH\)/);
  });

  it('takes the chef authenticated to Postfix as himself (sasl_username: his uid, or his address)', async () => {
    assert.equal(await policy.ask({ sender: CHEF, client_address: INTERNET, sasl_method: 'PLAIN', sasl_username: 'chef.bretagne' }), 'DUNNO');
    assert.equal(await policy.ask({ sender: CHEF, client_address: INTERNET, sasl_method: 'PLAIN', sasl_username: CHEF }), 'DUNNO');
    assert.equal(policy.decisions.at(-1)?.kind, 'accept');
  });

  it('refuses a user authenticated as someone else (the gendarme claiming the chef)', async () => {
    const action = await policy.ask({ sender: CHEF, client_address: INTERNET, sasl_method: 'PLAIN', sasl_username: 'gendarme.bretagne' });
    assert.match(action, /^550 5\.7\.1 chef\.bretagne@example\.org n'a pas pu etre verifie/);
  });

  it('takes the chef from a trusted client (this machine), which vouches for him', async () => {
    assert.equal(await policy.ask({ sender: CHEF, client_address: '127.0.0.1' }), 'DUNNO');
    assert.equal(await policy.ask({ sender: CHEF, client_address: '::1' }), 'DUNNO');
    assert.equal(policy.decisions.at(-1)?.kind, 'accept');
  });

  it('still refuses what the rules refuse, with their reason', async () => {
    assert.match(
      await policy.ask({ sender: GENDARME, client_address: '127.0.0.1' }),
      /^550 5\.7\.1 gendarme\.bretagne@example\.org ne peut pas ecrire a .* : l'expediteur gendarme\.bretagne@example\.org n'est pas un chef : title vaut gendarme$/,
    );
  });

  it('names a UTF-8 sender as received, never folded into another address', async () => {
    const action = await policy.ask({ sender: 'Noël.Lambert+listes@Example.org', client_address: '127.0.0.1' });
    assert.match(action, /^550 5\.7\.1 No\\x\{EB\}l\.Lambert\+listes@Example\.org ne peut pas ecrire a /);
    assert.doesNotMatch(action, /noel/i);
  });
});

describe('the policy server behind XFORWARD: DMARC left to the SMTP front', HANG_GUARD, () => {
  const policy = served({ AUTOLIST_SMTP_XFORWARD_CLIENTS: '127.0.0.1' });

  it('lets a sender only DMARC could verify through (DUNNO), the front deciding at the end of DATA', async () => {
    assert.equal(await policy.ask({ sender: CHEF, client_address: INTERNET }), 'DUNNO');
    assert.equal(policy.decisions.at(-1)?.kind, 'pending');
    assert.equal(policy.decisions.at(-1)?.unverified, true);
  });

  it('still refuses at once what no message can change', async () => {
    assert.match(await policy.ask({ sender: GENDARME, client_address: INTERNET }), /^550 5\.7\.1 gendarme\.bretagne@example\.org ne peut pas ecrire a /);
  });
});
