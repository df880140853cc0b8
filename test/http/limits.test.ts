import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { D, suiteServer } from './helpers.js';

/** Sends raw bytes on a new connection and returns everything the server wrote before closing it. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes, 'latin1'));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** The problem object of a raw HTTP answer, after checking its media type. */
function problemIn(answer: string): Record<string, unknown> {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  assert.match(head, /\r\ncontent-type: application\/problem\+json/i);
  return JSON.parse(body);
}

describe('request limits and bytes the parser refuses', () => {
  const server = suiteServer({ env: { AUTOLIST_HTTP_HEADER_LIMIT: '2048', AUTOLIST_HTTP_BODY_LIMIT: '1024' } });

  it('answers headers over AUTOLIST_HTTP_HEADER_LIMIT with a 431 problem, and keeps serving', async () => {
    const answer = await raw(server.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(4000)}\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 431 /);
    const problem = problemIn(answer);
    assert.equal(problem.type, '/problems/headers-too-large');
    assert.equal(problem.status, 431);
    assert.equal((await server.request('/healthz')).statusCode, 200);
  });

  it('answers a request line with a NUL or a space in its path with a 400 problem', async () => {
    for (const path of ['/v1/lists/a\0b', '/v1/lists/a b@x']) {
      const answer = await raw(server.port, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.match(answer, /^HTTP\/1\.1 400 /, JSON.stringify(path));
      assert.equal(problemIn(answer).type, '/problems/bad-request');
    }
  });

  it('answers a body over AUTOLIST_HTTP_BODY_LIMIT with a 413 problem', async () => {
    const response = await server.request({ method: 'POST', url: '/v1/charters/check', payload: { name: 'x', charter: 'x'.repeat(2000) } });
    assert.equal(response.statusCode, 413);
    assert.equal(response.json().type, '/problems/payload-too-large');
  });

  it('reads dot segments and encoded slashes as text of the address, not as a path', async () => {
    const cases: Array<[string, number, string]> = [
      ['/v1/lists/..', 400, 'address-invalid'],
      ['/v1/lists/%2e%2e%2f%2e%2e%2fhealthz', 400, 'address-invalid'],
      [`/v1/lists/..%2F..%2Fliste.chefs-56${D}`, 404, 'no-such-list'],
    ];
    for (const [path, status, type] of cases) {
      const response = await server.request(path);
      assert.equal(response.statusCode, status, path);
      assert.equal(response.json().type, `/problems/${type}`, path);
    }
    assert.equal((await server.request(`/v1/lists/liste.chefs-56${D}/../..`)).statusCode, 404);
  });
});
