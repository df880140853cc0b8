import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startSocketmapServer, type RunningServer } from '../../src/postfix/index.js';
import { netstring } from '../../src/postfix/netstring.js';
import type { Services } from '../../src/services.js';
import { D, HANG_GUARD, postmap, testServices } from './helpers.js';

const TRANSPORT = 'smtp:[127.0.0.1]:2525';

describe('the Postfix socketmap server, asked by postmap', HANG_GUARD, () => {
  let services: Services;
  let server: RunningServer;
  before(async () => {
    services = await testServices();
    server = await startSocketmapServer(services, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await services.close();
  });

  it('finds an existing list: OK with the configured value (the SMTP front as a transport)', async () => {
    const found = await postmap(server.address.port, { key: `liste.chefs-56${D}` });
    assert.deepEqual(found, { code: 0, stdout: `${TRANSPORT}\n`, stderr: '' });
  });

  it('does not find an unknown list, a non-list domain, a bare name or a domain key (NOTFOUND: no error)', async () => {
    for (const key of [`liste.chefs-20${D}`, 'someone@example.com', 'liste.chefs-56', 'lists.example.org']) {
      assert.deepEqual(await postmap(server.address.port, { key }), { code: 1, stdout: '', stderr: '' }, key);
    }
  });

  it('does not find a list that has no members (its family refuses empty lists)', async () => {
    assert.deepEqual(await postmap(server.address.port, { key: `liste.chefs-site-nulle-part${D}` }), { code: 1, stdout: '', stderr: '' });
  });

  it("finds a list's -request and -bounces addresses, not an -owner address nobody receives", async () => {
    for (const role of ['request', 'bounces']) assert.equal((await postmap(server.address.port, { key: `liste.chefs-56-${role}${D}` })).code, 0, role);
    assert.deepEqual(await postmap(server.address.port, { key: `liste.chefs-56-owner${D}` }), { code: 1, stdout: '', stderr: '' });
    assert.deepEqual(await postmap(server.address.port, { key: `liste.chefs-20-request${D}` }), { code: 1, stdout: '', stderr: '' });
  });

  it('answers many keys in one postmap run (postmap -q -, keys in any case)', async () => {
    const keys = [`liste.chefs-56${D}`, `liste.chefs-20${D}`, `LISTE.Chefs-2A${D}`, 'someone@example.com', `liste.personnels-national${D}`];
    const result = await postmap(server.address.port, { keys });
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, `liste.chefs-56${D}\t${TRANSPORT}\nLISTE.Chefs-2A${D}\t${TRANSPORT}\nliste.personnels-national${D}\t${TRANSPORT}\n`);
  });

  it('refuses another map name with PERM', async () => {
    const result = await postmap(server.address.port, { key: `liste.chefs-56${D}` }, 'aliases');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /socketmap server permanent error: no map aliases: this server has only lists/);
  });
});

describe('the Postfix socketmap server, raw netstrings', HANG_GUARD, () => {
  let services: Services;
  let server: RunningServer;
  before(async () => {
    services = await testServices();
    server = await startSocketmapServer(services, { host: '127.0.0.1', port: 0, value: 'OK-ANY' });
  });
  after(async () => {
    await server.close();
    await services.close();
  });

  /** Sends bytes and collects everything the server says until it closes the connection. */
  const exchange = (input: Buffer | string, end: boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: server.address.port }, () => {
        socket.write(input);
        if (end) socket.end();
      });
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (text: string) => (received += text));
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
    });

  it('answers pipelined requests in order, each reply a netstring, with the configured value', async () => {
    const input = Buffer.concat([netstring(`lists liste.chefs-56${D}`), netstring('lists nobody@example.com'), netstring(`lists`), netstring(`lists `)]);
    assert.equal(await exchange(input, true), '9:OK OK-ANY,9:NOTFOUND ,34:PERM expected a map name and a key,9:NOTFOUND ,');
  });

  it('reads a request split across packets', async () => {
    const whole = netstring(`lists liste.chefs-56${D}`);
    const answer = new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: server.address.port }, () => {
        socket.write(whole.subarray(0, 1));
        setImmediate(() => socket.write(whole.subarray(1, 10), () => socket.end(whole.subarray(10))));
      });
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
    });
    assert.equal(await answer, '9:OK OK-ANY,');
  });

  for (const [name, input] of [
    ['a length that is not a number', 'abc:lists x,'],
    ['a netstring without a length', ':lists x,'],
    ['a netstring not ended by a comma', '7:lists x;'],
    ['a length over 10,000 bytes, refused before its payload arrives', '99999:lists '],
    ['a length with too many digits', '000000000001:x,'],
  ] as const) {
    it(`closes the connection without a reply on ${name}`, async () => {
      assert.equal(await exchange(input, false), '');
    });
  }

  it('still answers after those', async () => {
    assert.equal(await exchange(netstring(`lists liste.chefs-56${D}`), true), '9:OK OK-ANY,');
  });
});

describe('the Postfix socketmap server, value by default', HANG_GUARD, () => {
  let services: Services;
  let server: RunningServer;
  before(async () => {
    services = await testServices({ env: { AUTOLIST_SMTP_HOST: '0.0.0.0', AUTOLIST_SMTP_PORT: '2600' } });
    server = await startSocketmapServer(services, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await services.close();
  });

  it('answers the transport to the SMTP front as configured (AUTOLIST_SMTP_HOST, AUTOLIST_SMTP_PORT)', async () => {
    assert.deepEqual(await postmap(server.address.port, { key: `liste.chefs-56${D}` }), { code: 0, stdout: 'smtp:[127.0.0.1]:2600\n', stderr: '' });
  });
});
