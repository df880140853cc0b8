/** Authentication-Results header values (RFC 8601): its examples, comments, quoted strings, and hostile input. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAuthenticationResults } from '../../src/authentication/index.js';
import { MAX_RESULTS, MAX_VALUE_LENGTH } from '../../src/authentication/parse-results.js';

describe('parseAuthenticationResults', () => {
  it('reads `none`: no method applied (RFC 8601 appendix B.2)', () => {
    assert.deepEqual(parseAuthenticationResults('example.org 1; none'), { authservId: 'example.org', results: [] });
  });

  it('reads one result and its property (B.3)', () => {
    assert.deepEqual(parseAuthenticationResults('example.com; spf=pass smtp.mailfrom=example.net'), {
      authservId: 'example.com',
      results: [{ method: 'spf', result: 'pass', properties: { 'smtp.mailfrom': 'example.net' } }],
    });
  });

  it('reads several results, folded, with comments between tokens (B.4)', () => {
    const value = 'example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n          spf=pass smtp.mailfrom=example.net';
    assert.deepEqual(parseAuthenticationResults(value), {
      authservId: 'example.com',
      results: [
        { method: 'auth', result: 'pass', properties: { 'smtp.auth': 'sender@example.net' } },
        { method: 'spf', result: 'pass', properties: { 'smtp.mailfrom': 'example.net' } },
      ],
    });
  });

  it('reads two DKIM results of one message (B.6)', () => {
    const value =
      'mail-router.example.net;\r\n   dkim=pass (good signature) header.d=newyork.example.com\r\n         header.b=oINEO8hg;\r\n   dkim=fail (bad signature) header.d=newyork.example.com\r\n         header.b=EToRSuvU';
    const parsed = parseAuthenticationResults(value);
    assert.equal(parsed?.authservId, 'mail-router.example.net');
    assert.deepEqual(
      parsed?.results.map((r) => [r.method, r.result, r.properties['header.d'], r.properties['header.b']]),
      [
        ['dkim', 'pass', 'newyork.example.com', 'oINEO8hg'],
        ['dkim', 'fail', 'newyork.example.com', 'EToRSuvU'],
      ],
    );
  });

  it('reads what autolist writes: DMARC with a policy comment, SPF with a long comment', () => {
    const value =
      'lists.example.org;\r\n\tdkim=pass header.i=@example.org header.s=autolist header.a=rsa-sha256 header.b=bX07AUqG;\r\n\tspf=fail (lists.example.org: domain of chef@example.org does not designate 192.0.2.10 as permitted sender) smtp.mailfrom=chef@example.org smtp.helo=mx.example.net;\r\n\tdmarc=pass (p=REJECT) header.from=example.org header.d=example.org';
    const parsed = parseAuthenticationResults(value);
    assert.deepEqual(
      parsed?.results.map((r) => `${r.method}=${r.result}`),
      ['dkim=pass', 'spf=fail', 'dmarc=pass'],
    );
    assert.deepEqual(parsed?.results[2]?.properties, { 'header.from': 'example.org', 'header.d': 'example.org' });
    assert.equal(parsed?.results[0]?.properties['header.i'], '@example.org');
  });

  it('lower-cases the authserv-id, methods, results and property names, but not property values', () => {
    const parsed = parseAuthenticationResults('MX.Example.ORG; DKIM=Pass Header.I=@Example.Org');
    assert.deepEqual(parsed, {
      authservId: 'mx.example.org',
      results: [{ method: 'dkim', result: 'pass', properties: { 'header.i': '@Example.Org' } }],
    });
  });

  it('reads quoted strings (escapes included), reasons, nested comments, method versions and a trailing semicolon', () => {
    const value = '"mx.example.org" (a (nested) comment) 1 ; dkim/1 = fail reason="bad \\"b=\\" tag; really" (x) header.d = example.org ;';
    assert.deepEqual(parseAuthenticationResults(value), {
      authservId: 'mx.example.org',
      results: [{ method: 'dkim', result: 'fail', reason: 'bad "b=" tag; really', properties: { 'header.d': 'example.org' } }],
    });
  });

  it('refuses malformed values: a header nobody can read vouches for nothing', () => {
    for (const value of [
      '',
      '   ',
      'example.com; dkim',
      'example.com; dkim=',
      'example.com; =pass',
      'example.com dkim=pass',
      'example.com; dkim=pass header.d',
      'example.com; dkim=pass header.d=',
      'example.com; dkim=pass (unclosed comment',
      'example.com; dkim=pass reason="unclosed',
      '"unclosed; dkim=pass',
      'example.com; dkim=pass; none',
    ]) {
      assert.equal(parseAuthenticationResults(value), undefined, JSON.stringify(value));
    }
  });

  it('refuses values beyond its bounds: too long, too many results', () => {
    assert.equal(parseAuthenticationResults(`example.com; dkim=pass header.b=${'a'.repeat(MAX_VALUE_LENGTH)}`), undefined);
    const many = `example.com${'; spf=pass'.repeat(MAX_RESULTS + 1)}`;
    assert.ok(many.length < MAX_VALUE_LENGTH);
    assert.equal(parseAuthenticationResults(many), undefined);
    assert.equal(parseAuthenticationResults(`example.com${'; spf=pass'.repeat(MAX_RESULTS)}`)?.results.length, MAX_RESULTS);
  });

  it('reads hostile values within bounds in one pass: deep comments, long quoted strings, backslashes', () => {
    const half = Math.floor(MAX_VALUE_LENGTH / 2) - 20;
    assert.equal(parseAuthenticationResults(`example.com; dkim=pass ${'('.repeat(half)}${')'.repeat(half)}`)?.results.length, 1);
    assert.equal(parseAuthenticationResults(`example.com; dkim=pass ${'('.repeat(MAX_VALUE_LENGTH - 30)}`), undefined);
    assert.equal(parseAuthenticationResults(`example.com; dkim=pass reason="${'\\\\'.repeat(half)}"`)?.results[0]?.reason, '\\'.repeat(half));
    assert.equal(parseAuthenticationResults(`example.com; dkim=pass (${'\\'.repeat(MAX_VALUE_LENGTH - 30)}`), undefined);
  });

  it('never takes a property for the prototype of its properties', () => {
    const parsed = parseAuthenticationResults('example.com; dkim=pass __proto__.polluted=yes constructor.prototype=x');
    assert.equal(parsed?.results[0]?.properties['__proto__.polluted'], 'yes');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
