import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { D, suiteServer } from './helpers.js';

describe('GET /v1/lists/{address}', () => {
  const server = suiteServer();

  it('gives the list definition: family, name, description, subject tag, filter, parameters, rights', async () => {
    const response = await server.request({ url: `/v1/lists/liste.chefs.civils-56${D}` });
    assert.equal(response.statusCode, 200);
    const list = response.json();
    assert.equal(list.family, 'liste');
    assert.equal(list.address, `liste.chefs.civils-56${D}`);
    assert.equal(list.name, 'liste.chefs.civils-56');
    assert.equal(list.description, 'Chefs civils du département 56');
    assert.equal(list.subject, '[chefs.civils-56]');
    assert.equal(list.filter, '(&(title=chef)(employeeType=civil)(departmentNumber=56))');
    assert.deepEqual(list.params.category, ['chefs', 'civils']);
    // In the family's language (liste: French), which the list says.
    assert.equal(list.language, 'fr');
    assert.equal(list.rights.subscribe, 'fermé');
    assert.match(list.rights.send, /title=chef/);
  });

  it('answers another order of the same categories with the list under its canonical address', async () => {
    const response = await server.request({ url: `/v1/lists/liste.civils.chefs-56${D}` });
    assert.equal(response.statusCode, 200);
    const list = response.json();
    assert.equal(list.address, `liste.chefs.civils-56${D}`);
    assert.equal(list.name, 'liste.chefs.civils-56');
    assert.equal(list.subject, '[chefs.civils-56]');
  });

  it('answers a category twice, or civils with militaires, with a 404 problem saying why in the family’s language', async () => {
    const twice = await server.request({ url: `/v1/lists/liste.chefs.chefs-56${D}` });
    assert.equal(twice.statusCode, 404);
    assert.equal(twice.json().column, 13);
    assert.match(twice.json().detail, /« chefs » figure déjà dans le nom/);
    const excluded = await server.request({ url: `/v1/lists/liste.civils.militaires-56${D}` });
    assert.equal(excluded.statusCode, 404);
    assert.match(excluded.json().detail, /« militaires » et « civils » s’excluent/);
  });

  it('reads the address in any case and percent-encoded', async () => {
    const response = await server.request({ url: `/v1/lists/${encodeURIComponent(`LISTE.Chefs-2A${D}`)}` });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().filter, '(&(title=chef)(departmentNumber=2A))');
  });

  it('answers an unknown list with a 404 problem: the column, what was expected, close valid names', async () => {
    const response = await server.request({ url: `/v1/lists/liste.chfs-56${D}` });
    assert.equal(response.statusCode, 404);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    const problem = response.json();
    assert.equal(problem.type, '/problems/no-such-list');
    assert.equal(problem.code, 'NO_SUCH_LIST');
    assert.equal(problem.status, 404);
    assert.equal(problem.column, 9);
    assert.ok(problem.expected.length > 0);
    assert.ok(problem.suggestions.includes(`liste.chefs-56${D}`));
    assert.equal(problem.instance, `/v1/lists/liste.chfs-56${D}`);
    assert.equal(problem.requestId, response.headers['x-request-id']);
  });

  it('serves a page at each problem type', async () => {
    const page = await server.request({ url: '/problems/no-such-list' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /No such list/);
    assert.match(page.body, /lang="fr"/);
    const index = await server.request({ url: '/problems' });
    for (const type of ['no-such-list', 'unknown-domain', 'address-invalid', 'bad-request', 'directory-unavailable']) assert.match(index.body, new RegExp(`/problems/${type}"`));
    assert.equal((await server.request({ url: '/problems/nope' })).statusCode, 404);
  });

  it('gives a stable problem type per error: unknown domain 404, not an address 400, too long 414', async () => {
    const cases: Array<[string, number, string]> = [
      ['/v1/lists/liste.chefs-56@example.com', 404, '/problems/unknown-domain'],
      ['/v1/lists/no-at-sign', 400, '/problems/address-invalid'],
      ['/v1/lists/%00', 400, '/problems/address-invalid'],
      [`/v1/lists/${'a'.repeat(300)}${D}`, 400, '/problems/address-invalid'],
      [`/v1/lists/${'a'.repeat(3000)}`, 414, '/problems/uri-too-long'],
      ['/v1/lists/%E0%A4%A', 400, '/problems/bad-request'],
      ['/v1/nowhere', 404, '/problems/not-found'],
    ];
    for (const [url, status, type] of cases) {
      const response = await server.request({ url });
      assert.equal(response.statusCode, status, url);
      assert.equal(response.json().type, type, url);
    }
  });

  it('gives every response a request id, keeping a sane one from the caller', async () => {
    const given = await server.request({ url: '/healthz', headers: { 'x-request-id': 'proxy-42.a' } });
    assert.equal(given.headers['x-request-id'], 'proxy-42.a');
    for (const odd of ['bad id', '<script>', 'a'.repeat(129)]) {
      const response = await server.request({ url: '/healthz', headers: { 'x-request-id': odd } });
      assert.match(String(response.headers['x-request-id']), /^[0-9a-f-]{36}$/, odd);
    }
    const refused = await server.request('/v1/lists/%E0%A4%A');
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.headers['x-request-id'], refused.json().requestId, 'router errors carry it too');
  });
});

describe('GET /v1/suggest', () => {
  const server = suiteServer();

  const suggest = async (q: string): Promise<Array<{ address: string; complete: boolean; description?: string }>> =>
    (await server.request({ url: `/v1/suggest?q=${encodeURIComponent(q)}&limit=50` })).json().completions;

  it('completes the word being typed from the charter’s literals and lexicons', async () => {
    assert.deepEqual(
      (await suggest('lis')).map((c) => c.address),
      ['liste.'],
    );
    assert.ok((await suggest('liste.ch')).some((c) => c.address === 'liste.chefs' && !c.complete));
    const categories = await suggest('liste.chefs.');
    assert.ok(categories.some((c) => c.address === 'liste.chefs.civils'));
  });

  it('offers no category twice, no civils with militaires, no other order than the canonical one', async () => {
    const categories = (await suggest('liste.chefs.')).map((c) => c.address);
    assert.ok(!categories.includes('liste.chefs.chefs'), categories.join(' '));
    assert.deepEqual(await suggest('liste.civils.'), []);
    assert.deepEqual(await suggest('liste.chefs.chefs-56'), []);
    assert.deepEqual(await suggest(`liste.civils.chefs-56${D}`), []);
    assert.deepEqual(
      (await suggest(`liste.chefs.civils-56${D}`)).map((c) => c.address),
      [`liste.chefs.civils-56${D}`],
    );
  });

  it('gives full addresses first, with their descriptions', async () => {
    const after = await suggest('liste.chefs-');
    const national = after.find((c) => c.address === `liste.chefs-national${D}`);
    assert.deepEqual(national, { address: `liste.chefs-national${D}`, complete: true, description: 'Chefs au niveau national' });
    assert.ok(after.findIndex((c) => !c.complete) === -1 || after.findIndex((c) => !c.complete) > after.findIndex((c) => c.complete));
    assert.deepEqual(await suggest(`liste.chefs-56@li`), [{ address: `liste.chefs-56${D}`, complete: true, description: 'Chefs du département 56' }]);
  });

  it('gives nothing for text no charter starts with, and refuses a missing or huge q', async () => {
    assert.deepEqual(await suggest('zzz'), []);
    assert.equal((await server.request({ url: '/v1/suggest' })).statusCode, 400);
    assert.equal((await server.request({ url: `/v1/suggest?q=${'a'.repeat(300)}` })).statusCode, 400);
    assert.equal((await server.request({ url: '/v1/suggest?q=a&limit=0' })).statusCode, 400);
  });
});

describe('an address of a domain no family serves, answered in the site’s language (AUTOLIST_LANGUAGE)', () => {
  for (const [site, words] of [
    ['fr', /aucune famille de listes ne sert le domaine nowhere\.test/],
    ['en', /no (list )?family .*nowhere\.test/],
  ] as const) {
    describe(`AUTOLIST_LANGUAGE=${site}`, () => {
      const server = suiteServer({ env: { AUTOLIST_LANGUAGE: site } });
      it('says so in that language, as the SMTP front does', async () => {
        const answer = await server.request('/v1/lists/someone@nowhere.test');
        assert.equal(answer.statusCode, 404);
        assert.match(answer.json().detail, words);
      });
    });
  }
});
