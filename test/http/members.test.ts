import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Slapd } from '../harness/slapd.js';
import { JEAN_DUPONT_LDIF, JEAN_DUPONT_MEMBERS } from '../membership/helpers.js';
import { D, suiteServer, TestServer } from './helpers.js';

const CHEFS_56 = `/v1/lists/liste.chefs-56${D}`;
const PERSONNELS = `/v1/lists/liste.personnels-national${D}`;

describe('GET /v1/lists/{address}/members (demo directory)', () => {
  const server = suiteServer();
  let everyone: string[];
  before(async () => {
    const { membership, catalog } = server.services;
    everyone = [...(await membership.expand(catalog.resolver.resolve(`liste.personnels-national${D}`))).members];
  });

  it('counts the members (?count), saying where the answer came from', async () => {
    const response = await server.request({ url: `${PERSONNELS}/members?count` });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.count, everyone.length);
    assert.ok(body.count > 1000);
    assert.ok(body.unreachable >= 1, 'a person without mail is counted as unreachable');
    assert.equal(body.fromCache, true);
    assert.equal(body.stale, false);
    assert.equal(response.headers['x-autolist-from-cache'], 'true');
    assert.equal(response.headers['x-autolist-stale'], 'false');
    assert.equal(response.headers.age, String(body.ageSeconds));
  });

  it('pages with limit and cursor: every member once, in order, then a null cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = (await server.request({ url: `${PERSONNELS}/members?limit=1000${query}` })).json();
      assert.equal(page.total, everyone.length);
      seen.push(...page.members);
      cursor = page.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(seen, everyone);
  });

  it('finds the chef of the 56 among the members of liste.chefs-56', async () => {
    const page = (await server.request({ url: `${CHEFS_56}/members` })).json();
    assert.ok(page.members.includes('chef.bretagne@example.org'));
    assert.ok(!page.members.includes('gendarme.bretagne@example.org'));
  });

  it('streams the whole list as text/plain (one address a line) and as ndjson', async () => {
    const text = await server.request({ url: `${PERSONNELS}/members`, headers: { accept: 'text/plain' } });
    assert.equal(text.statusCode, 200);
    assert.match(String(text.headers['content-type']), /^text\/plain/);
    assert.equal(text.headers['transfer-encoding'], 'chunked');
    assert.equal(text.headers['x-autolist-from-cache'], 'true');
    assert.deepEqual(text.body.split('\n').slice(0, -1), everyone);
    const ndjson = await server.request({ url: `${CHEFS_56}/members`, headers: { accept: 'application/x-ndjson' } });
    assert.match(String(ndjson.headers['content-type']), /^application\/x-ndjson/);
    const lines = ndjson.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(lines.some((l) => l.address === 'chef.bretagne@example.org'));
  });

  it('refuses bad pages with 400 problems: huge or negative limit, a forged cursor', async () => {
    for (const query of ['limit=0', 'limit=-1', 'limit=1e9', 'limit=99999999999999999999', 'limit=abc', 'cursor=-1', 'cursor=not-a-cursor', 'cursor=%00', 'count=maybe']) {
      const response = await server.request({ url: `${CHEFS_56}/members?${query}` });
      assert.equal(response.statusCode, 400, query);
      assert.match(response.json().type, /^\/problems\/(bad-request|bad-cursor)$/, query);
    }
    const other = (await server.request({ url: `${PERSONNELS}/members?limit=1` })).json().nextCursor;
    const response = await server.request({ url: `${CHEFS_56}/members?cursor=${encodeURIComponent(other)}` });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'MEMBERSHIP_BAD_CURSOR');
  });

  it('GET .../members/{mail}: a member, and why, part by part in the charter’s words', async () => {
    const body = (await server.request({ url: `${CHEFS_56}/members/Chef.Bretagne+tag@Example.org` })).json();
    assert.equal(body.address, 'chef.bretagne@example.org');
    assert.equal(body.member, true);
    assert.deepEqual(body.parts, [
      { label: 'chefs', filter: '(title=chef)', satisfied: true },
      { label: 'du département 56', filter: '(departmentNumber=56)', satisfied: true },
    ]);
    assert.match(body.entry.dn, /^uid=chef\.bretagne,/);
    assert.deepEqual(Object.keys(body.entry.attributes).sort(), ['departmentnumber', 'mail', 'maillocaladdress', 'title']);
    assert.match(body.reasons[0], /est membre de liste\.chefs-56/);
  });

  it('…or why not: the parts the entry fails, or no entry at all', async () => {
    const gendarme = (await server.request({ url: `${CHEFS_56}/members/gendarme.bretagne@example.org` })).json();
    assert.equal(gendarme.member, false);
    assert.deepEqual(
      gendarme.parts.map((p: { satisfied: boolean }) => p.satisfied),
      [false, true],
    );
    assert.match(gendarme.reasons[0], /ne satisfait pas « chefs »/);
    const nobody = (await server.request({ url: `${CHEFS_56}/members/nobody@example.org` })).json();
    assert.equal(nobody.member, false);
    assert.equal(nobody.entry, null);
    assert.match(nobody.reasons[0], /aucune fiche de l’annuaire/);
    assert.equal((await server.request({ url: `${CHEFS_56}/members/not-an-address` })).statusCode, 400);
  });

  it('matches a person by an alternate address', async () => {
    const body = (await server.request({ url: `${CHEFS_56}/members/jean.chef@example.org` })).json();
    assert.equal(body.member, true);
    assert.match(body.entry.dn, /^uid=chef\.bretagne,/);
  });
});

describe('GET /v1/lists/{address}/members: addresses as the directory writes them (slapd)', () => {
  let dir: string;
  let slapd: Slapd;
  let server: TestServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-case-'));
    writeFileSync(join(dir, 'directory.ldif'), JEAN_DUPONT_LDIF);
    slapd = await Slapd.start({ ldif: join(dir, 'directory.ldif') });
    server = await TestServer.start({ slapd });
  });
  after(async () => {
    await server.close();
    await slapd.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists Jean.Dupont@Example.org as Jean.Dupont@example.org in pages and streams, and finds him as jean.dupont@example.org', async () => {
    const first = (await server.request({ url: `${CHEFS_56}/members?limit=1` })).json();
    const second = (await server.request({ url: `${CHEFS_56}/members?limit=1&cursor=${first.nextCursor}` })).json();
    assert.deepEqual([...first.members, ...second.members], JEAN_DUPONT_MEMBERS);
    assert.equal(second.nextCursor, null);
    const text = await server.request({ url: `${CHEFS_56}/members`, headers: { accept: 'text/plain' } });
    assert.deepEqual(text.body.split('\n').filter(Boolean), JEAN_DUPONT_MEMBERS);
    const check = (await server.request({ url: `${CHEFS_56}/members/jean.dupont@example.org` })).json();
    assert.equal(check.member, true);
    assert.equal(check.entry.dn, 'uid=jean.dupont,ou=people,dc=example,dc=org');
  });
});
