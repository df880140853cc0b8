import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { Catalog } from '../../src/charter/catalog.js';
import { PROJECT_ROOT } from '../../src/config/config.js';
import type { Services } from '../../src/services.js';
import { D, suiteServer } from '../http/helpers.js';
import { startFront, swaks, type Front } from '../smtp/helpers.js';

/** liste.chefs-56 takes 69 Earley states, this name 146 (measured by bisecting the budget). */
const COMPLEX = `liste.civils.chefs.pilotes.gendarmes-56${D}`;
const LONG = `liste.chefs-site-${'a'.repeat(64 - 'liste.chefs-site-'.length + 1)}${D}`;

/** Serves the shipped families with a parse budget of 100 states, warnings kept: the run-time bound at work. */
function tightCatalog(services: Services): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  services.catalog = new Catalog(join(PROJECT_ROOT, 'families'), { parseBudget: 100, logger: pino({ level: 'warn' }, stream) });
  return lines;
}

describe('GET /v1/lists/{address} refuses hostile addresses with their problem types', () => {
  const server = suiteServer({ env: { AUTOLIST_LOCAL_PART_MAX: '20' } });

  it('a name longer than AUTOLIST_LOCAL_PART_MAX: 404 address-too-long', async () => {
    assert.equal((await server.request({ url: `/v1/lists/liste.chefs-56${D}` })).statusCode, 200);
    const response = await server.request({ url: `/v1/lists/liste.civils.chefs-56${D}` });
    assert.equal(response.statusCode, 404);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    const problem = response.json();
    assert.equal(problem.type, '/problems/address-too-long');
    assert.equal(problem.code, 'ADDRESS_TOO_LONG');
    assert.match(problem.detail, /21 octets, at most 20/);
    assert.equal((await server.request({ url: '/problems/address-too-long' })).statusCode, 200);
  });
});

describe('GET /v1/lists/{address} past a parse budget of 40 states', () => {
  const server = suiteServer({
    prepare: (services) => {
      services.catalog = new Catalog(join(PROJECT_ROOT, 'families'), { parseBudget: 40 });
    },
  });

  it('a name past the parse budget: 422 address-too-complex naming the family', async () => {
    const response = await server.request({ url: `/v1/lists/liste.chefs-56${D}` });
    assert.equal(response.statusCode, 422, response.body);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    const problem = response.json();
    assert.equal(problem.type, '/problems/address-too-complex');
    assert.equal(problem.code, 'ADDRESS_TOO_COMPLEX');
    assert.equal(problem.family, 'liste');
    assert.equal((await server.request({ url: '/problems/address-too-complex' })).statusCode, 200);
  });
});

describe('GET /v1/lists/{address} with the default cap', () => {
  let warnings: Array<Record<string, unknown>> = [];
  const server = suiteServer({
    prepare: (services) => {
      warnings = tightCatalog(services);
    },
  });

  it('warns naming the family when a name is too complex', async () => {
    const response = await server.request({ url: `/v1/lists/${COMPLEX}` });
    assert.equal(response.statusCode, 422, response.body);
    assert.equal(response.json().family, 'liste');
    assert.deepEqual(
      warnings.map((w) => [w.level, w.code, w.family]),
      [[40, 'ADDRESS_TOO_COMPLEX', 'liste']],
    );
    assert.equal((await server.request({ url: `/v1/lists/${LONG}` })).json().code, 'ADDRESS_TOO_LONG');
  });
});

describe('SMTP RCPT refuses hostile addresses with 550 5.1.1', () => {
  let smtp: Front;
  let port: number;
  before(async () => {
    smtp = await startFront();
    port = smtp.front.address.port;
  });
  after(() => smtp.close());

  it('a name over 64 octets', async () => {
    const result = await swaks(port, { from: 'chef.lorient@example.org', to: LONG, quitAfter: 'RCPT' });
    assert.match(result.lastReply, /^550 5\.1\.1 no list has a name this long: the part before @ is 65 octets, at most 64$/);
  });

  it('a name past the parse budget', async () => {
    tightCatalog(smtp.services);
    const result = await swaks(port, { from: 'chef.lorient@example.org', to: COMPLEX, quitAfter: 'RCPT' });
    assert.match(result.lastReply, /^550 5\.1\.1 le nom est trop complexe a lire dans la famille liste : sa charte lit certains noms de trop de facons$/);
  });
});
