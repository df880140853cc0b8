import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_DIRECTORY } from '../../src/config/config.js';
import { Slapd } from '../harness/slapd.js';
import { D, TestServer } from './helpers.js';

const CHEFS_56 = `/v1/lists/liste.chefs-56${D}`;

/** One scenario, in order: an LDAP directory (slapd over the demo data) that stops, then comes back. */
describe('when the LDAP directory goes down', () => {
  let slapd: Slapd;
  let server: TestServer;
  let now = Date.parse('2026-01-01T00:00:00Z');
  before(async () => {
    slapd = await Slapd.start({ ldif: DEMO_DIRECTORY });
    server = await TestServer.start({ slapd, now: () => now });
  });
  after(async () => {
    await server.close();
    await slapd.dispose();
  });

  const errorsCounted = async (): Promise<number> => Number(/^autolist_directory_errors_total (\d+)$/m.exec((await server.request('/metrics')).body)?.[1]);

  it('/readyz answers 503 with Retry-After while /healthz still answers', async () => {
    assert.equal((await server.request('/readyz')).json().directory, 'ldap');
    const fresh = await server.request(`${CHEFS_56}/members?count`);
    assert.equal(fresh.json().fromCache, false);
    assert.equal(fresh.json().count, 9);
    await slapd.stop();
    const down = await server.request('/readyz');
    assert.equal(down.statusCode, 503);
    assert.equal(down.headers['retry-after'], '30');
    assert.match(down.json().type, /^\/problems\/directory-/);
    assert.equal((await server.request('/healthz')).statusCode, 200);
  });

  it('answers 503 with Retry-After when nothing stale may be served, and counts the failed search', async () => {
    const before = await errorsCounted();
    const response = await server.request(`/v1/lists/liste.chefs-35${D}/members`);
    assert.equal(response.statusCode, 503);
    assert.equal(response.headers['retry-after'], '30');
    assert.equal(response.json().type, '/problems/directory-unavailable');
    assert.equal(await errorsCounted(), before + 1);
    const streamed = await server.request({ url: `/v1/lists/liste.chefs-35${D}/members`, headers: { accept: 'text/plain' } });
    assert.equal(streamed.statusCode, 503, 'a stream that cannot start is a problem, not an empty list');
  });

  it('serves the last members, marked stale, within the max-stale age', async () => {
    now += 2 * 3600 * 1000;
    const stale = await server.request(`${CHEFS_56}/members?count`);
    assert.equal(stale.statusCode, 200);
    assert.equal(stale.json().stale, true);
    assert.equal(stale.json().count, 9);
    assert.equal(stale.headers['x-autolist-stale'], 'true');
    assert.equal(stale.headers.age, String(2 * 3600));
    const page = await server.request(`${CHEFS_56}/members?limit=100`);
    assert.ok(page.json().members.includes('chef.bretagne@example.org'));
    now += 25 * 3600 * 1000;
    assert.equal((await server.request(`${CHEFS_56}/members?count`)).statusCode, 503, 'past AUTOLIST_MEMBERS_MAX_STALE');
  });

  it('defers a rights decision, with Retry-After, when the sender cannot be looked up', async () => {
    const response = await server.request(`/v1/lists/liste.personnels-national${D}/rights/send?sender=chef.capital@example.org`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().decision, 'defer');
    assert.equal(response.headers['retry-after'], '30');
  });

  it('serves fresh answers again once the directory is back', async () => {
    await slapd.restart();
    assert.equal((await server.request('/readyz')).statusCode, 200);
    const count = await server.request(`${CHEFS_56}/members?count`);
    assert.equal(count.statusCode, 200);
    assert.equal(count.json().stale, false);
    assert.equal((await server.request(`/v1/lists/liste.personnels-national${D}/rights/send?sender=chef.capital@example.org`)).json().decision, 'allow');
  });
});
