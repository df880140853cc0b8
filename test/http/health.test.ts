import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { D, suiteServer } from './helpers.js';

describe('probes and metrics', () => {
  const server = suiteServer();

  it('/healthz answers while the process is up, /readyz says what is in service', async () => {
    assert.deepEqual((await server.request('/healthz')).json(), { status: 'ok' });
    const ready = (await server.request('/readyz')).json();
    assert.equal(ready.status, 'ready');
    assert.equal(ready.directory, 'embedded');
    assert.deepEqual(ready.families, ['auto', 'liste']);
  });

  it('/metrics counts requests by route template, cache use, directory searches and decisions', async () => {
    await server.request(`/v1/lists/liste.chefs-56${D}`);
    await server.request(`/v1/lists/liste.chefs-56${D}/members?count`);
    await server.request(`/v1/lists/liste.chefs-56${D}/members?count`);
    await server.request(`/v1/lists/liste.chefs-56${D}/rights/send?sender=chef.bretagne@example.org`);
    await server.request(`/v1/lists/liste.chefs-56${D}/rights/send?sender=gendarme.bretagne@example.org`);
    await server.request('/no/such/path/1');
    const response = await server.request('/metrics');
    assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = response.body;
    assert.match(text, /autolist_http_requests_total\{method="GET",route="\/v1\/lists\/:address",status="200"\} 1\n/);
    assert.match(text, /autolist_http_requests_total\{method="GET",route="\/v1\/lists\/:address\/members",status="200"\} 2\n/);
    assert.match(text, /autolist_http_requests_total\{method="GET",route="unmatched",status="404"\} 1\n/);
    assert.match(text, /autolist_http_request_duration_seconds_bucket\{le="0.01",method="GET",route="\/v1\/lists\/:address"\}/);
    assert.match(text, /autolist_members_cache_hits_total [1-9]/);
    assert.match(text, /autolist_members_cache_misses_total [1-9]/);
    assert.match(text, /autolist_members_cache_members [1-9]/);
    assert.match(text, /autolist_directory_searches_total [1-9]/);
    // Failed searches are counted in directory-down.test.ts, against a slapd that stops.
    assert.match(text, /autolist_directory_errors_total 0\n/);
    assert.match(text, /autolist_rights_decisions_total\{outcome="allow"\} 1\n/);
    assert.match(text, /autolist_rights_decisions_total\{outcome="deny"\} 1\n/);
    assert.match(text, /autolist_families 2\n/);
    assert.match(text, /^process_cpu_seconds_total /m);
  });
});

describe('request ids in the log', () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')));
      done();
    },
  });
  const server = suiteServer({ logger: pino({ level: 'info' }, sink) });

  it('logs each request once, under the id the response carries', async () => {
    const response = await server.request({ url: `/v1/lists/liste.chfs-56${D}`, headers: { 'x-request-id': 'trace-7' } });
    assert.equal(response.headers['x-request-id'], 'trace-7');
    const logged = lines.filter((l) => l.reqId === 'trace-7');
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.status, 404);
    assert.equal(logged[0]?.code, 'NO_SUCH_LIST');
    assert.equal(logged[0]?.route, '/v1/lists/:address');
  });
});
