import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_DIRECTORY, loadConfig } from '../../src/config/config.js';
import { Slapd } from '../harness/slapd.js';
import { TestServer, type Answer } from './helpers.js';

/** Far above AUTOLIST_READY_TIMEOUT_MS, far below the LDAP operation timeout (30 s by default): only a hang fails it. */
const HANG_MS = 10_000;

/** The answer, or a failure when none comes within HANG_MS: a hung probe is the bug under test. */
function answered(request: Promise<Answer>): Promise<Answer> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms`)), HANG_MS);
  });
  return Promise.race([request, hung]).finally(() => clearTimeout(timer));
}

/** One scenario, in order: a slapd that freezes (SIGSTOP: connections open, nothing answers), then thaws. */
describe('probes while the LDAP directory is frozen', () => {
  let slapd: Slapd;
  let server: TestServer;
  before(async () => {
    slapd = await Slapd.start({ ldif: DEMO_DIRECTORY });
    // The LDAP operation timeout stays at its default (30 s): the readiness deadline alone must answer.
    server = await TestServer.start({ slapd });
  });
  after(async () => {
    slapd.resume();
    await server.close();
    await slapd.dispose();
  });

  it('/readyz is ready while slapd answers', async () => {
    const ready = await answered(server.request('/readyz'));
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().directory, 'ldap');
  });

  it('/readyz answers 503 naming the timeout, and /healthz 200, while slapd is paused', async () => {
    await slapd.pause();
    // Probes at once share one check: each still gets its answer.
    const probes = await Promise.all([answered(server.request('/readyz')), answered(server.request('/readyz'))]);
    for (const down of probes) {
      assert.equal(down.statusCode, 503);
      assert.equal(down.headers['retry-after'], '30');
      assert.equal(down.json().type, '/problems/directory-timeout');
      assert.equal(down.json().code, 'DIRECTORY_TIMEOUT');
      assert.match(down.json().detail, /^directory readiness check: no answer within 2000 ms$/);
    }
    const alive = await answered(server.request('/healthz'));
    assert.equal(alive.statusCode, 200);
    assert.deepEqual(alive.json(), { status: 'ok' });
    // A later probe, the first check still hanging on the frozen server, is answered too.
    assert.equal((await answered(server.request('/readyz'))).statusCode, 503);
  });

  it('/readyz is ready again once slapd runs again', async () => {
    slapd.resume();
    assert.equal((await answered(server.request('/readyz'))).statusCode, 200);
  });
});

describe('AUTOLIST_READY_TIMEOUT_MS', () => {
  it('defaults to 2000 ms and takes 100 to 60000', () => {
    assert.equal(loadConfig({}).http.readyTimeoutMs, 2000);
    assert.equal(loadConfig({ AUTOLIST_READY_TIMEOUT_MS: '500' }).http.readyTimeoutMs, 500);
    assert.throws(() => loadConfig({ AUTOLIST_READY_TIMEOUT_MS: '0' }), /AUTOLIST_READY_TIMEOUT_MS/);
    assert.throws(() => loadConfig({ AUTOLIST_READY_TIMEOUT_MS: '2s' }), /AUTOLIST_READY_TIMEOUT_MS/);
  });
});
