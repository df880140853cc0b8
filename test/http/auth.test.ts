import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { D, suiteServer } from './helpers.js';

const READ = 'read-token-0123456789';
const ADMIN = 'admin-token-0123456789';
const LIST = `/v1/lists/liste.chefs-56${D}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('bearer tokens', () => {
  const server = suiteServer({ env: { AUTOLIST_HTTP_READ_TOKEN: READ, AUTOLIST_HTTP_ADMIN_TOKEN: ADMIN } });

  it('read routes need the read or the admin token (401 otherwise, with WWW-Authenticate)', async () => {
    const none = await server.request({ url: LIST });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().type, '/problems/unauthorized');
    assert.match(String(none.headers['www-authenticate']), /^Bearer/);
    assert.equal((await server.request({ url: LIST, headers: bearer('wrong-token-0123456789') })).statusCode, 401);
    assert.equal((await server.request({ url: LIST, headers: { authorization: `Basic ${READ}` } })).statusCode, 401);
    assert.equal((await server.request({ url: LIST, headers: bearer(READ) })).statusCode, 200);
    assert.equal((await server.request({ url: LIST, headers: bearer(ADMIN) })).statusCode, 200);
    assert.equal((await server.request({ url: '/metrics' })).statusCode, 401);
  });

  it('admin routes need the admin token: the read token gets 403', async () => {
    const invalidate = (headers: Record<string, string>) => server.request({ method: 'POST', url: '/v1/cache/invalidate', payload: { all: true }, headers });
    assert.equal((await invalidate({})).statusCode, 401);
    const read = await invalidate(bearer(READ));
    assert.equal(read.statusCode, 403);
    assert.equal(read.json().type, '/problems/forbidden');
    assert.equal((await invalidate(bearer(ADMIN))).statusCode, 200);
  });

  it('leaves probes, the explorer page and problem pages open', async () => {
    for (const url of ['/healthz', '/readyz', '/', '/explorer.js', '/problems/no-such-list', '/openapi.json']) assert.equal((await server.request({ url })).statusCode, 200, url);
  });
});

describe('HTTP configuration', () => {
  it('defaults to 127.0.0.1:8080 without tokens', () => {
    const { http } = loadConfig({});
    assert.deepEqual(http, { host: '127.0.0.1', port: 8080, bodyLimitBytes: 1_048_576, headerLimitBytes: 16_384, ratePerMinute: 6000, trustedProxies: [], readyTimeoutMs: 2000 });
  });

  it('refuses to start on a non-loopback host without both tokens', () => {
    assert.throws(() => loadConfig({ AUTOLIST_HTTP_HOST: '0.0.0.0' }), /AUTOLIST_HTTP_HOST=0\.0\.0\.0 is not a loopback address/);
    assert.throws(() => loadConfig({ AUTOLIST_HTTP_HOST: '192.0.2.1', AUTOLIST_HTTP_READ_TOKEN: READ }), /AUTOLIST_HTTP_ADMIN_TOKEN/);
    assert.equal(loadConfig({ AUTOLIST_HTTP_HOST: '0.0.0.0', AUTOLIST_HTTP_READ_TOKEN: READ, AUTOLIST_HTTP_ADMIN_TOKEN: ADMIN }).http.adminToken, ADMIN);
    for (const host of ['localhost', '::1', '[::1]', '127.0.0.2']) assert.equal(loadConfig({ AUTOLIST_HTTP_HOST: host }).http.host, host);
  });

  it('checks every value: ports, limits, token length', () => {
    assert.throws(() => loadConfig({ AUTOLIST_HTTP_PORT: '70000' }), /AUTOLIST_HTTP_PORT="70000"/);
    assert.throws(() => loadConfig({ AUTOLIST_HTTP_BODY_LIMIT: '10' }), /AUTOLIST_HTTP_BODY_LIMIT/);
    assert.throws(() => loadConfig({ AUTOLIST_HTTP_HEADER_LIMIT: 'x' }), /AUTOLIST_HTTP_HEADER_LIMIT/);
    assert.throws(() => loadConfig({ AUTOLIST_HTTP_READ_TOKEN: 'short' }), /AUTOLIST_HTTP_READ_TOKEN: a token has at least 16 characters/);
    assert.throws(() => loadConfig({ AUTOLIST_HTTP_ADMIN_TOKEN: ADMIN, AUTOLIST_HTTP_ADMIN_TOKEN_FILE: '/nonexistent' }), /both set/);
  });
});
