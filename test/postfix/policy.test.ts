import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { startPolicyServer, type PostfixServerOptions, type RunningServer } from '../../src/postfix/index.js';
import type { Logger } from '../../src/log.js';
import type { Services } from '../../src/services.js';
import { familiesWith } from '../harness/families.js';
import { D, HANG_GUARD, PolicyClient, rcptRequest, testServices } from './helpers.js';

const CHEF = 'chef.bretagne@example.org';
const GENDARME = 'gendarme.bretagne@example.org';
const CHEFS_56 = `liste.chefs-56${D}`;
/** A list that resolves (the town part takes any name) but whose filter matches nobody. */
const EMPTY_LIST = `liste.chefs-site-nulle-part${D}`;

interface Served {
  /** A new connection to the suite's server, closed after the suite. */
  client(): Promise<PolicyClient>;
  server(): RunningServer;
}

/** A policy server for the suite, over services of its own; the server, its services and every client close after the suite. */
function policyServer(options: { env?: () => Record<string, string>; server?: Partial<PostfixServerOptions>; logger?: Logger } = {}): Served {
  let services: Services;
  let server: RunningServer;
  const clients: PolicyClient[] = [];
  before(async () => {
    services = await testServices({ ...(options.env ? { env: options.env() } : {}), ...(options.logger ? { logger: options.logger } : {}) });
    server = await startPolicyServer(services, { host: '127.0.0.1', port: 0, ...options.server });
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.close();
    await services.close();
  });
  return {
    client: async () => {
      const client = await PolicyClient.connect(server.address.port);
      clients.push(client);
      return client;
    },
    server: () => server,
  };
}

describe('the Postfix policy server at RCPT time', HANG_GUARD, () => {
  const served = policyServer();

  it('answers one request after another on one connection, as smtpd asks them', async () => {
    const client = await served.client();
    assert.equal(await client.ask(rcptRequest({ sender: CHEF, recipient: CHEFS_56 })), 'DUNNO');
    const gendarme = await client.ask(rcptRequest({ sender: GENDARME, recipient: CHEFS_56 }));
    assert.match(
      gendarme ?? '',
      /^550 5\.7\.1 gendarme\.bretagne@example\.org ne peut pas ecrire a liste\.chefs-56@lists\.example\.org : l'expediteur gendarme\.bretagne@example\.org n'est pas un chef : title vaut gendarme$/,
    );
    const unknown = await client.ask(rcptRequest({ sender: CHEF, recipient: `liste.chefs-20${D}` }));
    assert.match(unknown ?? '', /^550 5\.1\.1 la liste liste\.chefs-20@lists\.example\.org n'existe pas : .+/);
    assert.equal(await client.ask(rcptRequest({ sender: CHEF, recipient: 'someone@example.com' })), 'DUNNO');
    assert.equal(await client.ask(rcptRequest({ sender: CHEF, recipient: 'postmaster' })), 'DUNNO');
    // The same connection still answers after refusals, addresses in any case.
    assert.equal(await client.ask(rcptRequest({ sender: 'Chef.Bretagne@Example.org', recipient: `LISTE.Chefs-56${D}` })), 'DUNNO');
  });

  it('keeps refusing a sender no rule allows, authenticated or not', async () => {
    const client = await served.client();
    assert.match((await client.ask(rcptRequest({ sender: GENDARME, recipient: CHEFS_56, sasl_method: 'PLAIN', sasl_username: 'gendarme' }))) ?? '', /^550 5\.7\.1 /);
    assert.equal(await client.ask(rcptRequest({ sender: CHEF, recipient: `liste.chefs-2a${D}`, sasl_method: 'PLAIN', sasl_username: 'chef' })), 'DUNNO');
  });

  it('refuses a list nobody would receive, saying so', async () => {
    const client = await served.client();
    const action = await client.ask(rcptRequest({ sender: CHEF, recipient: EMPTY_LIST }));
    assert.match(action ?? '', /^550 5\.2\.1 liste\.chefs-site-nulle-part@lists\.example\.org \(.+\) n'a aucun membre : /);
    // One line of printable ASCII, though the description has an accent.
    assert.match(action ?? '', /^[\x20-\x7e]+$/);
  });

  it("lets anyone write to a list's -request and -bounces addresses, and refuses -owner when nobody receives it", async () => {
    const client = await served.client();
    assert.equal(await client.ask(rcptRequest({ sender: GENDARME, recipient: `liste.chefs-56-request${D}` })), 'DUNNO');
    assert.equal(await client.ask(rcptRequest({ sender: '', recipient: `liste.chefs-56-bounces${D}` })), 'DUNNO');
    assert.match(
      (await client.ask(rcptRequest({ sender: GENDARME, recipient: `liste.chefs-56-owner${D}` }))) ?? '',
      /^550 5\.1\.1 liste\.chefs-56-owner@lists\.example\.org : la famille liste ne nomme aucun proprietaire \(et AUTOLIST_LIST_OWNERS n'est pas defini\)$/,
    );
    assert.match((await client.ask(rcptRequest({ sender: GENDARME, recipient: `liste.chefs-20-request${D}` }))) ?? '', /^550 5\.1\.1 la liste \S+ n'existe pas /);
  });

  it('answers DUNNO outside RCPT (a check at DATA has no single recipient)', async () => {
    const client = await served.client();
    assert.equal(await client.ask(rcptRequest({ protocol_state: 'DATA', sender: GENDARME, recipient: '', recipient_count: '2' })), 'DUNNO');
    assert.equal(await client.ask(rcptRequest({ protocol_state: 'END-OF-MESSAGE', sender: GENDARME, recipient: CHEFS_56 })), 'DUNNO');
  });

  it('answers requests sent together in order, with CRLF line ends, to a client that half-closes after them', async () => {
    const client = await served.client();
    const text = (attributes: Record<string, string>): string =>
      `${Object.entries(rcptRequest(attributes))
        .map(([n, v]) => `${n}=${v}\r\n`)
        .join('')}\r\n`;
    client.send(text({ sender: GENDARME, recipient: CHEFS_56 }) + text({ sender: CHEF, recipient: CHEFS_56 }));
    client.socket.end();
    assert.match((await client.reply()) ?? '', /^550 5\.7\.1 /);
    assert.equal(await client.reply(), 'DUNNO');
    await client.closed;
  });
});

describe('the Postfix policy server with malformed input', HANG_GUARD, () => {
  const served = policyServer();

  const closesWithoutReply = async (input: string | Buffer): Promise<void> => {
    const client = await served.client();
    client.send(input);
    assert.equal(await client.reply(), undefined);
    await client.closed;
  };

  it('closes the connection on a line that is not name=value', () => closesWithoutReply('request=smtpd_access_policy\nthis is not an attribute\n\n'));
  it('closes the connection on an attribute without a name', () => closesWithoutReply('request=smtpd_access_policy\n=value\n\n'));
  it('closes the connection on a request that is not smtpd_access_policy', () => closesWithoutReply(`request=something_else\nrecipient=${CHEFS_56}\n\n`));
  it('closes the connection on an empty request', () => closesWithoutReply('\n'));
  it('closes the connection on a line over 4096 bytes, even before its end arrives', () => closesWithoutReply(`request=smtpd_access_policy\nsender=${'a'.repeat(5000)}`));
  it('closes the connection on a request over 32 KiB made of short lines', () => closesWithoutReply(`request=smtpd_access_policy\n${'x=1\n'.repeat(9000)}`));
  it('survives binary garbage', () => closesWithoutReply(Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x0a, 0x80, 0x0a])));

  it('still answers on a new connection after all that', async () => {
    const client = await served.client();
    assert.equal(await client.ask(rcptRequest({ sender: CHEF, recipient: CHEFS_56 })), 'DUNNO');
  });

  it('refuses a sender that is no address with a printable reason', async () => {
    const client = await served.client();
    assert.match((await client.ask(rcptRequest({ sender: 'not an address\u0001é', recipient: CHEFS_56 }))) ?? '', /^550 5\.7\.1 [\x20-\x7e]+$/);
  });
});

describe('the Postfix policy server, connection cap', HANG_GUARD, () => {
  const served = policyServer({ server: { maxConnections: 3 } });

  it('drops connections beyond the cap and keeps serving those it holds', async () => {
    const held = await Promise.all([1, 2, 3].map(() => served.client()));
    // Each held connection is answered, so all three are established on the server side.
    for (const client of held) assert.equal(await client.ask(rcptRequest({ sender: CHEF, recipient: CHEFS_56 })), 'DUNNO');
    const extra = await served.client();
    assert.equal(await extra.ask(rcptRequest({ sender: CHEF, recipient: CHEFS_56 })), undefined);
    await extra.closed;
    assert.match((await held[0]?.ask(rcptRequest({ sender: GENDARME, recipient: CHEFS_56 }))) ?? '', /^550 5\.7\.1 /);
  });
});

describe('the Postfix policy server, idle connections', HANG_GUARD, () => {
  const served = policyServer({ server: { idleTimeoutMs: 50 } });

  it('closes a connection that sends nothing', async () => {
    const idle = await served.client();
    await idle.closed;
    assert.equal(await idle.reply(), undefined);
  });
});

describe('the Postfix policy server, closing', HANG_GUARD, () => {
  const served = policyServer();

  it('close() ends the connections still open', async () => {
    const open = await served.client();
    assert.equal(await open.ask(rcptRequest({ sender: CHEF, recipient: CHEFS_56 })), 'DUNNO');
    await served.server().close();
    await open.closed;
  });
});

describe('owners given by AUTOLIST_LIST_OWNERS', HANG_GUARD, () => {
  const served = policyServer({ env: () => ({ AUTOLIST_LIST_OWNERS: 'postmaster@example.org' }) });

  it("lets mail to a list's -owner address through", async () => {
    const client = await served.client();
    assert.equal(await client.ask(rcptRequest({ sender: GENDARME, recipient: `liste.chefs-56-owner${D}` })), 'DUNNO');
  });
});

describe('a family that accepts empty lists', HANG_GUARD, () => {
  const families = familiesWith(['empty-lists         accept']);
  after(() => families.dispose());
  const served = policyServer({ env: () => ({ AUTOLIST_FAMILIES_DIR: families.dir }) });

  it('lets mail to its empty lists through (DUNNO), still to allowed senders only', async () => {
    const client = await served.client();
    assert.equal(await client.ask(rcptRequest({ sender: CHEF, recipient: EMPTY_LIST })), 'DUNNO');
    assert.match((await client.ask(rcptRequest({ sender: GENDARME, recipient: EMPTY_LIST }))) ?? '', /^550 5\.7\.1 /);
  });
});

describe('sasl_username as the authenticated user', HANG_GUARD, () => {
  // The test family equipe allows an authenticated sender of example.org, in the directory or not.
  const families = familiesWith([], ['equipe']);
  after(() => families.dispose());
  const served = policyServer({ env: () => ({ AUTOLIST_FAMILIES_DIR: families.dir }) });

  it('allows a sender the rights allow only when authenticated', async () => {
    const client = await served.client();
    const request = { sender: 'quelqu.un@example.org', recipient: `equipe-56${D}` };
    assert.match((await client.ask(rcptRequest(request))) ?? '', /^550 5\.7\.1 quelqu\.un@example\.org may not send to equipe-56@lists\.example\.org/);
    assert.equal(await client.ask(rcptRequest({ ...request, sasl_method: 'PLAIN', sasl_username: 'quelqu.un' })), 'DUNNO');
  });
});

describe('the Postfix policy server, logs', HANG_GUARD, () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  const served = policyServer({ logger: pino({ level: 'info' }, sink) });

  it('writes one line per decision about a list, with the sender, recipient, verdict and action', async () => {
    const client = await served.client();
    await client.ask(rcptRequest({ sender: CHEF, recipient: CHEFS_56, queue_id: 'ABC123' }));
    await client.ask(rcptRequest({ sender: GENDARME, recipient: CHEFS_56 }));
    await client.ask(rcptRequest({ sender: CHEF, recipient: 'someone@example.com' }));
    const decisions = lines.filter((l) => l.msg === 'policy decision');
    assert.deepEqual(
      decisions.map((l) => [l.front, l.sender, l.recipient, l.kind, l.list, l.action === 'DUNNO' ? 'DUNNO' : String(l.action).slice(0, 9)]),
      [
        ['postfix-policy', CHEF, CHEFS_56, 'accept', CHEFS_56, 'DUNNO'],
        ['postfix-policy', GENDARME, CHEFS_56, 'refuse', CHEFS_56, '550 5.7.1'],
      ],
    );
    assert.equal(decisions[0]?.queueId, 'ABC123');
    assert.equal(decisions[0]?.client, '127.0.0.1');
  });

  it('logs the list, family, rule and verdict of a decision, never the list definition (filter tree, rights)', async () => {
    const client = await served.client();
    await client.ask(rcptRequest({ sender: CHEF, recipient: CHEFS_56, queue_id: 'DEF456' }));
    const line = lines.find((l) => l.msg === 'policy decision' && l.queueId === 'DEF456');
    assert.ok(line, 'the decision is logged');
    assert.equal(line.kind, 'accept');
    assert.equal(line.list, CHEFS_56);
    assert.equal(line.family, 'liste');
    assert.match(String(line.rule), /\.charter:\d+$/);
    assert.equal(line.definition, undefined);
    assert.doesNotMatch(JSON.stringify(line), /"filter|"rights"|departmentNumber/);
    assert.ok(JSON.stringify(line).length < 600, `a short line: ${JSON.stringify(line)}`);
  });
});
