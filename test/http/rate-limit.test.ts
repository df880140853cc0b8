/** The HTTP front's rate limit (AUTOLIST_HTTP_RATE_LIMIT) and client addresses behind trusted proxies (AUTOLIST_TRUSTED_PROXIES), over real sockets. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { metricValue } from '../harness/prometheus.js';
import { D, suiteServer, type Answer, type TestServer } from './helpers.js';

const READ = 'read-token-0123456789abcdef';
const ADMIN = 'admin-token-0123456789abcdef';
const LIST = `/v1/lists/liste.chefs-56${D}`;

/** The value of one series on /metrics (0 when absent). */
async function metric(server: TestServer, name: string, labels: Record<string, string> = {}): Promise<number> {
  return metricValue((await server.request({ url: '/metrics' })).body, name, labels);
}

function assertRateLimited(answer: Answer): void {
  assert.equal(answer.statusCode, 429);
  assert.match(String(answer.headers['content-type']), /^application\/problem\+json/);
  const retryAfter = Number(answer.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${answer.headers['retry-after']}`);
  const problem = answer.json();
  assert.equal(problem.type, '/problems/rate-limited');
  assert.equal(problem.code, 'RATE_LIMITED');
  assert.equal(problem.status, 429);
  assert.equal(problem.retryAfter, retryAfter);
}

describe('the HTTP rate limit per client address', () => {
  const server = suiteServer({ env: { AUTOLIST_HTTP_RATE_LIMIT: '3' } });

  it('answers past the rate with a 429 problem and Retry-After; probes and metrics still answer', async () => {
    for (let n = 0; n < 3; n++) assert.equal((await server.request(LIST)).statusCode, 200);
    assertRateLimited(await server.request(LIST));
    assertRateLimited(await server.request('/v1/lists/no-such-list@nowhere.test'));
    assert.equal((await server.request('/healthz')).statusCode, 200);
    assert.equal((await server.request('/readyz')).statusCode, 200);
    assert.equal(await metric(server, 'autolist_rate_limited_total', { front: 'http', limit: 'requests' }), 2);
    assert.equal(await metric(server, 'autolist_http_requests_total', { method: 'GET', route: '/v1/lists/:address', status: '429' }), 2);
    assert.equal(await metric(server, 'autolist_rate_limit_keys', { front: 'http', limit: 'requests' }), 1);
  });

  it('defaults to 6000 a minute; 0 turns it off', () => {
    assert.equal(loadConfig({}).http.ratePerMinute, 6000);
    assert.equal(loadConfig({ AUTOLIST_HTTP_RATE_LIMIT: '0' }).http.ratePerMinute, 0);
    assert.throws(() => loadConfig({ AUTOLIST_HTTP_RATE_LIMIT: '1e3' }), /AUTOLIST_HTTP_RATE_LIMIT/);
  });
});

describe('the 429’s detail: in the language of the list the path names, else in the site’s (AUTOLIST_LANGUAGE)', () => {
  const EN = /^too many requests: slow down and try again in \d+ seconds?$/;
  const FR = /^trop de requêtes : ralentissez et réessayez dans \d+ secondes?$/;
  /** The detail of a request past the rate (the first request of the server spends it). */
  const detail = async (server: TestServer, url: string): Promise<string> => {
    const answer = await server.request(url);
    assertRateLimited(answer);
    return answer.json().detail;
  };
  const paths = { none: '/v1/families', liste: LIST, auto: `/v1/lists/auto-cio.40${D}`, noSuchListe: `/v1/lists/liste.chefs-20${D}`, otherDomain: '/v1/lists/someone@nowhere.test' };

  for (const [site, words] of [
    ['fr', FR],
    ['en', EN],
  ] as const) {
    describe(`AUTOLIST_LANGUAGE=${site}`, () => {
      const server = suiteServer({ env: { AUTOLIST_HTTP_RATE_LIMIT: '1', AUTOLIST_LANGUAGE: site } });

      it('says it in the site’s language about no list, in the family’s about a list (liste: fr, auto: en), or a name its family read', async () => {
        assert.equal((await server.request(paths.none)).statusCode, 200);
        assert.match(await detail(server, paths.none), words);
        assert.match(await detail(server, paths.otherDomain), words, 'an address no family serves');
        assert.match(await detail(server, paths.liste), FR);
        assert.match(await detail(server, paths.noSuchListe), FR, 'no such list, as the family liste read it');
        assert.match(await detail(server, paths.auto), EN);
      });
    });
  }
});

describe('the HTTP rate limit turned off', () => {
  const server = suiteServer({ env: { AUTOLIST_HTTP_RATE_LIMIT: '0' } });

  it('serves every request', async () => {
    for (let n = 0; n < 20; n++) assert.equal((await server.request(LIST)).statusCode, 200);
    assert.equal(await metric(server, 'autolist_rate_limited_total', { front: 'http', limit: 'requests' }), 0);
  });

  it('explains RATE_LIMITED at its problem type’s URI', async () => {
    const page = await server.request('/problems/rate-limited');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /AUTOLIST_HTTP_RATE_LIMIT/);
  });
});

describe('the HTTP rate limit per bearer token', () => {
  const server = suiteServer({ env: { AUTOLIST_HTTP_RATE_LIMIT: '3', AUTOLIST_HTTP_READ_TOKEN: READ, AUTOLIST_HTTP_ADMIN_TOKEN: ADMIN } });
  const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

  it('counts a token’s requests apart from its client address, and wrong tokens by address (guessing is limited)', async () => {
    for (let n = 0; n < 3; n++) assert.equal((await server.request({ url: LIST, headers: bearer(`wrong-token-${n}-0123456789`) })).statusCode, 401);
    assertRateLimited(await server.request({ url: LIST, headers: bearer('wrong-token-x-0123456789') }));
    assertRateLimited(await server.request(LIST));
    for (let n = 0; n < 3; n++) assert.equal((await server.request({ url: LIST, headers: bearer(READ) })).statusCode, 200);
    assertRateLimited(await server.request({ url: LIST, headers: bearer(READ) }));
    assert.equal((await server.request({ url: LIST, headers: bearer(ADMIN) })).statusCode, 200, 'the admin token has a rate of its own');
    assert.equal((await server.request({ url: '/metrics', headers: bearer(READ) })).statusCode, 200, 'metrics are not rate limited');
  });
});

/** A logger whose lines the test reads. */
function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(text));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

describe('client addresses behind a trusted proxy (AUTOLIST_TRUSTED_PROXIES)', () => {
  const log = capturingLogger();
  const server = suiteServer({ env: { AUTOLIST_HTTP_RATE_LIMIT: '2', AUTOLIST_TRUSTED_PROXIES: '127.0.0.0/8, ::1' }, logger: log.logger });
  const from = (client: string): { url: string; headers: Record<string, string> } => ({ url: LIST, headers: { 'x-forwarded-for': `${client}, 127.0.0.1` } });

  it('counts each X-Forwarded-For client apart, and logs the address it counted', async () => {
    for (let n = 0; n < 2; n++) assert.equal((await server.request(from('203.0.113.5'))).statusCode, 200);
    assertRateLimited(await server.request(from('203.0.113.5')));
    assert.equal((await server.request(from('203.0.113.6'))).statusCode, 200, 'another client behind the proxy');
    const logged = log.lines.filter((l) => l.msg === 'request').map((l) => [l.ip, l.status]);
    assert.deepEqual(logged.slice(-4), [
      ['203.0.113.5', 200],
      ['203.0.113.5', 200],
      ['203.0.113.5', 429],
      ['203.0.113.6', 200],
    ]);
  });
});

describe('X-Forwarded-For from a peer that is no trusted proxy', () => {
  const log = capturingLogger();
  const server = suiteServer({ env: { AUTOLIST_HTTP_RATE_LIMIT: '2', AUTOLIST_TRUSTED_PROXIES: '192.0.2.0/24' }, logger: log.logger });

  it('is ignored: the peer is the client, whatever the header says', async () => {
    const claiming = (client: string) => ({ url: LIST, headers: { 'x-forwarded-for': client } });
    assert.equal((await server.request(claiming('203.0.113.5'))).statusCode, 200);
    assert.equal((await server.request(claiming('203.0.113.6'))).statusCode, 200);
    assertRateLimited(await server.request(claiming('203.0.113.7')));
    const logged = log.lines.filter((l) => l.msg === 'request').map((l) => l.ip);
    assert.deepEqual(logged.slice(-3), ['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });

  it('AUTOLIST_TRUSTED_PROXIES takes addresses and CIDR networks, nothing else; none by default', () => {
    assert.deepEqual(loadConfig({}).http.trustedProxies, []);
    assert.deepEqual(
      loadConfig({ AUTOLIST_TRUSTED_PROXIES: '10.0.0.0/8 2001:db8::/32,192.0.2.7' }).http.trustedProxies.map((n) => `${n.address}/${n.prefix}`),
      ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7/32'],
    );
    for (const bad of ['10.0.0.0/33', 'proxy.example.org', '::1/129', '10.0.0.0/']) {
      assert.throws(() => loadConfig({ AUTOLIST_TRUSTED_PROXIES: bad }), /AUTOLIST_TRUSTED_PROXIES: ".*" is not an IP address or network/, bad);
    }
  });
});
