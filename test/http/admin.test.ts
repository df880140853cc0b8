import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { familiesWith } from '../harness/families.js';
import { D, suiteServer } from './helpers.js';

const CHEFS_56 = `/v1/lists/liste.chefs-56${D}`;

describe('POST /v1/cache/invalidate', () => {
  const server = suiteServer();

  const invalidate = (payload: object) => server.request({ method: 'POST', url: '/v1/cache/invalidate', payload });
  const fromCache = async (url: string): Promise<boolean> => (await server.request({ url: `${url}/members?count` })).json().fromCache;

  it('forgets a list, a family or everything: the next answer is searched afresh', async () => {
    await fromCache(CHEFS_56);
    assert.equal(await fromCache(CHEFS_56), true);
    assert.deepEqual((await invalidate({ list: `LISTE.chefs-56${D}` })).json(), { invalidated: 'list', target: `liste.chefs-56${D}` });
    assert.equal(await fromCache(CHEFS_56), false);
    assert.deepEqual((await invalidate({ family: 'liste' })).json(), { invalidated: 'family', target: 'liste' });
    assert.equal(await fromCache(CHEFS_56), false);
    const searches = () => server.services.membership.stats().searches;
    const before = searches();
    assert.deepEqual((await invalidate({ all: true })).json(), { invalidated: 'all' });
    assert.equal(await fromCache(CHEFS_56), false);
    assert.equal(searches(), before + 1);
  });

  it('refuses an empty or double target or an unknown property (400), an unknown list or family (404)', async () => {
    assert.equal((await invalidate({})).statusCode, 400);
    assert.equal((await invalidate({ list: `liste.chefs-56${D}`, family: 'liste' })).statusCode, 400);
    assert.equal((await invalidate({ family: 'liste', other: 1 })).statusCode, 400);
    assert.equal((await invalidate({ all: false })).statusCode, 400);
    assert.equal((await invalidate({ list: `liste.chefs-20${D}` })).statusCode, 404);
    assert.equal((await invalidate({ family: 'nope' })).json().type, '/problems/no-such-family');
  });
});

describe('POST /v1/families/reload', () => {
  const families = familiesWith();
  const charter = families.liste;
  const original = readFileSync(charter, 'utf8');
  const server = suiteServer({ env: { AUTOLIST_FAMILIES_DIR: families.dir } });
  after(() => families.dispose());

  const reload = () => server.request({ method: 'POST', url: '/v1/families/reload' });

  it('keeps the families in service when a charter does not compile (422 with diagnostics)', async () => {
    writeFileSync(charter, original.replace("<address>  ::= 'liste.' <who> '-' <where>", "<address>  ::= 'liste.' <who> '-' <where> <nowhere>"));
    const response = await reload();
    assert.equal(response.statusCode, 422);
    assert.equal(response.json().type, '/problems/charter-invalid');
    assert.ok(response.json().diagnostics.some((d: { message: string }) => /<nowhere> is used but not defined/.test(d.message)));
    assert.equal((await server.request({ url: CHEFS_56 })).statusCode, 200);
  });

  it('puts a corrected charter in service at once', async () => {
    writeFileSync(charter, original.replace("'liste.' <who>", "'liste.' <who>").replace('subject             "[{who}-{where}]"', 'subject             "[{who}/{where}]"'));
    const response = await reload();
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().families, ['auto', 'liste']);
    assert.equal((await server.request({ url: CHEFS_56 })).json().subject, '[chefs/56]');
  });
});
