import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type Answer, suiteServer } from './helpers.js';

/** The part of JSON Schema the routes use. */
interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
}

/** A route of the OpenAPI document: its method, path template, parameters and body, with their schemas. */
interface Operation {
  method: string;
  path: string;
  parameters: Array<{ in: 'path' | 'query'; name: string; schema: Schema }>;
  body: Schema | undefined;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
}

/** Every operation the app documents, read from its own OpenAPI document. */
function operations(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema,
    })),
  );
}

/** Values a schema accepts, and values just outside it (past a bound, longer, another type). */
function near(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), fc.string({ maxLength: 12 }));
  if (schema.const !== undefined) return fc.oneof(fc.constant(schema.const), fc.anything());
  switch (Array.isArray(schema.type) ? schema.type[0] : schema.type) {
    case 'integer': {
      const min = schema.minimum ?? -1000;
      const max = schema.maximum ?? 1_000_000;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min - 1, max + 1, -1, 0, 2 ** 53, Number.POSITIVE_INFINITY), fc.double());
    }
    case 'boolean':
      return fc.oneof(fc.boolean(), fc.constantFrom('true', 0, null));
    case 'object': {
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, s]) => [name, near(s)]));
      return fc.oneof(fc.record(properties, { requiredKeys: [] }), fc.record(properties), fc.dictionary(fc.string({ maxLength: 8 }), fc.anything()));
    }
    default:
      return fc.oneof(fc.string({ maxLength: schema.maxLength ?? 64 }), fc.string({ unit: 'binary', minLength: schema.maxLength ?? 300, maxLength: (schema.maxLength ?? 300) + 20 }));
  }
}

/** Bytes written as %XX (any byte, so also NUL, '/', '.', and invalid UTF-8). */
const percent = (bytes: Uint8Array): string => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
/** Text encoded as a URL component, lone surrogates included (as UTF-8 replacement bytes). */
const encoded = (text: string): string => percent(Buffer.from(text, 'utf8'));

const NASTY = ['', '.', '..', '../..', '%2F', '%2e%2e%2F', '%00', '%', '%zz', '%C0%AE', '-1', '0', '1e309', '99999999999999999999', 'NaN', '0x10', 'true', '[]', '{}'];
const REAL = ['liste.chefs-56@lists.example.org', 'liste.civils.chefs-2a@lists.example.org', 'chef.bretagne@example.org', 'liste', 'auto'];

/** A path or query value for a parameter: from its schema, real, nasty, any text, any bytes, or very long. */
function valueFor(schema: Schema): fc.Arbitrary<string> {
  return fc.oneof(
    near(schema).map((v) => encodeURIComponent(String(v))),
    fc.constantFrom(...NASTY),
    fc.constantFrom(...REAL).map(encodeURIComponent),
    fc.string({ unit: 'binary', maxLength: 40 }).map(encoded),
    fc.uint8Array({ maxLength: 40 }).map(percent),
    fc.string({ unit: fc.constantFrom('a', '.', '-', '@', '%41', '%2F', '%00', '+'), maxLength: 400 }),
    fc.integer({ min: 300, max: 5000 }).map((n) => 'a'.repeat(n)),
  );
}

/** A request to an operation: each parameter given or left out, an Accept header, a body when it takes one. */
function requestTo(op: Operation): fc.Arbitrary<{ url: string; accept: string | undefined; body: string | undefined }> {
  const path = op.parameters.filter((p) => p.in === 'path');
  const query = op.parameters.filter((p) => p.in === 'query');
  const body =
    op.body === undefined
      ? fc.constant(undefined)
      : fc.oneof(
          near(op.body).map((v) => JSON.stringify(v) ?? 'null'),
          fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
          fc.string(),
        );
  return fc
    .record({
      pathValues: fc.tuple(...path.map((p) => valueFor(p.schema))),
      queryValues: fc.tuple(...query.map((p) => fc.option(valueFor(p.schema)))),
      accept: fc.constantFrom(undefined, 'application/json', 'application/x-ndjson', 'text/plain', '*/*', 'text/plain;q=0', 'garbage/;;q=x'),
      body,
    })
    .map(({ pathValues, queryValues, accept, body }) => {
      let url = op.path;
      path.forEach((p, i) => {
        url = url.replace(`{${p.name}}`, pathValues[i] as string);
      });
      const pairs = query.flatMap((p, i) => (queryValues[i] === null ? [] : [`${p.name}=${queryValues[i]}`]));
      if (pairs.length > 0) url += `?${pairs.join('&')}`;
      return { url, accept, body };
    });
}

/** A refusal is an RFC 9457 problem of the status it is sent with. */
function assertProblem(response: Answer): void {
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = response.json();
  assert.equal(problem.status, response.statusCode);
  assert.match(problem.type, /^\/problems\/[a-z-]+$/);
  assert.equal(typeof problem.detail, 'string');
}

describe('route fuzzing from the OpenAPI document', () => {
  const server = suiteServer();
  let ops: Operation[];
  before(async () => {
    ops = operations((await server.request('/openapi.json')).json());
  });

  it('documents every route it serves', () => {
    const paths = ops.map((op) => `${op.method} ${op.path}`);
    for (const path of [
      '/v1/lists/{address}',
      '/v1/lists/{address}/members',
      '/v1/lists/{address}/members/{mail}',
      '/v1/lists/{address}/rights/{action}',
      '/v1/families',
      '/v1/families/{name}',
      '/v1/families/{name}/lists',
      '/v1/suggest',
      '/healthz',
      '/readyz',
      '/metrics',
    ]) {
      assert.ok(paths.includes(`GET ${path}`), `GET ${path} is documented`);
    }
    for (const path of ['/v1/charters/check', '/v1/cache/invalidate', '/v1/families/reload']) assert.ok(paths.includes(`POST ${path}`), `POST ${path} is documented`);
  });

  it('answers any parameter, body and Accept header with a 2xx or a 4xx problem, never a 5xx', async () => {
    assert.ok(ops.filter((op) => op.parameters.length > 0).length >= 7);
    assert.ok(ops.filter((op) => op.body !== undefined).length >= 2);
    const seen = new Set<number>();
    const reached = new Set<string>();
    const request = fc.constantFrom(...ops).chain((op) => requestTo(op).map((r) => ({ ...r, method: op.method, op: `${op.method} ${op.path}` })));
    await fc.assert(
      fc.asyncProperty(request, async ({ method, url, accept, body, op }) => {
        reached.add(op);
        const headers: Record<string, string> = accept === undefined ? {} : { accept };
        if (body !== undefined) headers['content-type'] = 'application/json';
        const response = await server.request({ method, url, headers, ...(body === undefined ? {} : { payload: body }) });
        assert.ok(response.statusCode < 500, `${method} ${url.slice(0, 300)} ${body?.slice(0, 200) ?? ''} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
        seen.add(Math.floor(response.statusCode / 100));
        if (response.statusCode >= 400) assertProblem(response);
      }),
      { numRuns: 800 },
    );
    assert.deepEqual([...seen].sort(), [2, 4], 'the fuzzer reached both answers and refusals');
    assert.equal(reached.size, ops.length, 'every documented operation was called');
    assert.equal((await server.request('/healthz')).statusCode, 200);
  });

  it('answers any charter text with diagnostics or a 4xx problem', async () => {
    const line = fc.constantFrom(
      'family liste\n',
      'domain a.org\n',
      'base "dc=a"\n',
      "<address> ::= 'x' <y>\n",
      '<y> ::= /[0-9]+/ in 1..5\n',
      '<y> ::= table t\n',
      'rights send\n',
      '  allow if anyone\n',
      'example x1 => (a=1)\n',
      '(',
      '|',
      '{',
      '"',
    );
    const body = fc.record({
      name: fc.constant('liste'),
      charter: fc.string({ unit: line, maxLength: 30 }),
      lexicons: fc.option(fc.record({ t: fc.constantFrom('token\tfilter\tlabel\na\t(a=1)\tA\n', 'x', '') }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const response = await server.request({ method: 'POST', url: '/v1/charters/check', payload });
        assert.ok(response.statusCode < 500, `${JSON.stringify(payload).slice(0, 300)} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
        if (response.statusCode >= 400) assertProblem(response);
      }),
      { numRuns: 300 },
    );
  });
});
