import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { D, suiteServer } from './helpers.js';

describe('the families routes', () => {
  const server = suiteServer();

  it('GET /v1/families lists the families in service and when they were compiled', async () => {
    const body = (await server.request({ url: '/v1/families' })).json();
    assert.deepEqual(
      body.families.map((f: { name: string }) => f.name),
      ['auto', 'liste'],
    );
    assert.deepEqual(body.families[1].domains, ['lists.example.org']);
    assert.equal(body.families[1].description, '{who.label|capitalize} {where.label}');
    assert.ok(!Number.isNaN(Date.parse(body.loadedAt)));
  });

  it('GET /v1/families/{name}: header, grammar in charter notation, lexicons, rights, examples', async () => {
    const family = (await server.request({ url: '/v1/families/liste' })).json();
    assert.equal(family.subject, '[{who}-{where}]');
    assert.equal(family.directory.memberAttribute, 'mail');
    assert.deepEqual(family.directory.alternateAddressAttributes, ['mailLocalAddress']);
    assert.equal(family.emptyLists, 'refuse');
    assert.equal(family.dmarc, 'keep-from');
    assert.equal(family.grammar[0].text, "<address> ::= 'liste.' <who> '-' <where>");
    const department = family.grammar.find((r: { name: string }) => r.name === 'department').text;
    assert.match(department, /\/\[0-9\]\[0-9\]\/ in 1\.\.19, 21\.\.95 {2}filter \(departmentNumber=\{text\}\) {2}label "du département \{text\}"/);
    assert.match(department, /\n +\| \/2\[ab\]\//);
    assert.ok(family.lexicons.categories.some((e: { token: string; filter: string }) => e.token === 'chefs' && e.filter === '(title=chef)'));
    assert.equal(family.language, 'fr');
    assert.equal(family.rights.subscribe, 'fermé');
    assert.deepEqual(family.examples[0], { address: `liste.chefs-56${D}`, filter: '(&(title=chef)(departmentNumber=56))', refused: false });
    assert.deepEqual(
      family.examples.find((e: { address: string }) => e.address === `liste.chefs-20${D}`),
      { address: `liste.chefs-20${D}`, refused: true },
    );
  });

  it('answers an unknown family with a 404 problem naming the families', async () => {
    const response = await server.request({ url: '/v1/families/nope' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().type, '/problems/no-such-family');
    assert.deepEqual(response.json().families, ['auto', 'liste']);
  });

  it('GET /v1/families/{name}/lists pages through a finite family whole, once each', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = (await server.request({ url: `/v1/families/auto/lists?limit=70${query}` })).json();
      assert.equal(page.finite, true);
      seen.push(...page.addresses);
      cursor = page.nextCursor;
    } while (cursor !== null);
    assert.equal(seen.length, 240);
    assert.equal(new Set(seen).size, 240);
    assert.ok(seen.includes(`auto-cio.40${D}`));
    for (const address of seen.slice(0, 5)) assert.equal((await server.request({ url: `/v1/lists/${address}` })).statusCode, 200);
  });

  it('lists an infinite family shortest first, says why it is infinite, and bounds how far pages go', async () => {
    const page = (await server.request({ url: '/v1/families/liste/lists?limit=3' })).json();
    assert.equal(page.finite, false);
    assert.ok(page.open.includes('repetitions'));
    assert.equal(page.addresses.length, 3);
    assert.equal(page.nextCursor, '3');
    assert.equal((await server.request({ url: '/v1/families/liste/lists?cursor=999999' })).statusCode, 400);
    assert.equal((await server.request({ url: '/v1/families/liste/lists?cursor=-1' })).statusCode, 400);
    assert.equal((await server.request({ url: '/v1/families/liste/lists?limit=100000' })).statusCode, 400);
  });
});

describe('the families routes, local parts capped at 24 octets', () => {
  const server = suiteServer({ env: { AUTOLIST_LOCAL_PART_MAX: '24' } });

  it('lists no address the resolver refuses as too long', async () => {
    const seen: string[] = [];
    for (let cursor: string | null = '0'; cursor !== null && seen.length < 3000; ) {
      const page = (await server.request({ url: `/v1/families/liste/lists?limit=500&cursor=${cursor}` })).json();
      seen.push(...page.addresses);
      cursor = page.nextCursor;
    }
    assert.ok(seen.includes(`liste.chefs.civils-56${D}`));
    assert.ok(!seen.includes(`liste.personnels-national${D}`), '25 octets');
    for (const address of seen.filter((_, i) => i % 50 === 0)) assert.equal((await server.request({ url: `/v1/lists/${address}` })).statusCode, 200, address);
  });
});

describe('POST /v1/charters/check', () => {
  const server = suiteServer();

  const check = (body: unknown) => server.request({ method: 'POST', url: '/v1/charters/check', payload: body as object });

  it('compiles a shipped charter and its lexicons, with the shared conditions in service', async () => {
    const response = await check({
      name: 'liste',
      charter: readFileSync('families/liste/liste.charter', 'utf8'),
      lexicons: { categories: readFileSync('families/liste/categories.tsv', 'utf8'), regions: readFileSync('families/liste/regions.tsv', 'utf8') },
    });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { ok: true, family: { name: 'liste', domains: ['lists.example.org'], rules: 7, examples: 12 }, diagnostics: [] });
  });

  it('gives every diagnostic of a charter that does not compile, at its line and column', async () => {
    const response = await check({ name: 'demo', charter: 'family demo\ndomain lists.example.org\nbase "dc=example,dc=org"\n<address> ::= \'x-\' <who>\nexample x-1 => (a=1)\n' });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.ok, false);
    assert.ok(
      body.diagnostics.some(
        (d: { file: string; line: number; col: number; message: string }) => d.file === 'demo.charter' && d.line === 4 && d.col === 20 && /<who> is used but not defined/.test(d.message),
      ),
    );
  });

  it('refuses a body without a name or charter (400) and anything but JSON (415)', async () => {
    assert.equal((await check({ charter: 'x' })).statusCode, 400);
    assert.equal((await check({ name: '../etc', charter: 'x' })).statusCode, 400);
    const text = await server.request({ method: 'POST', url: '/v1/charters/check', payload: 'family x', headers: { 'content-type': 'application/xml' } });
    assert.equal(text.statusCode, 415);
    assert.equal(text.json().type, '/problems/unsupported-media-type');
    const broken = await server.request({ method: 'POST', url: '/v1/charters/check', payload: '{"name":', headers: { 'content-type': 'application/json' } });
    assert.equal(broken.statusCode, 400);
  });
});
