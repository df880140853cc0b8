import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { ExportTooLargeError, type FamilyExport, FamilyNotPublicError, listsWithMembers } from '../../src/export/index.js';
import type { Services } from '../../src/services.js';
import { autolist } from '../harness/cli.js';
import { D } from '../harness/families.js';
import { testServices } from '../harness/services.js';
import { suiteServer } from '../http/helpers.js';

describe('the lists of a public family that have members', () => {
  let services: Services;
  let liste: FamilyExport;
  before(async () => {
    services = await testServices();
    liste = await listsWithMembers(services.catalog.resolver.family('liste')!, services.directory, services.membership, { limit: 200_000 });
  });
  after(() => services.close());

  it('holds lists of open token classes filled from the directory, and no list without members', async () => {
    const addresses = liste.lists.map((l) => l.address);
    assert.ok(addresses.includes(`liste.personnels-site-grenoble${D}`));
    assert.ok(!addresses.includes(`liste.civils.militaires-75${D}`));
    assert.deepEqual(liste.leftOut, []);
    assert.deepEqual(addresses, [...addresses].sort(), 'sorted by address');
    assert.equal(new Set(addresses).size, addresses.length);
    for (const list of liste.lists) assert.ok(list.members > 0, list.address);
  });

  it('gives one entry to the names of one list (an AND in another order): the first in the charter’s order', () => {
    const addresses = new Set(liste.lists.map((l) => l.address));
    assert.ok(addresses.has(`liste.chefs.civils-56${D}`));
    assert.ok(!addresses.has(`liste.civils.chefs-56${D}`));
  });

  it('counts the members the membership expands, with the description the resolver gives', async () => {
    for (const address of [`liste.personnels-site-grenoble${D}`, `liste.chefs-56${D}`, `liste.gendarmes.militaires-bretagne${D}`]) {
      const exported = liste.lists.find((l) => l.address === address);
      const list = services.catalog.resolver.resolve(address);
      assert.deepEqual(exported, { family: 'liste', address, description: list.description, members: (await services.membership.expand(list)).members.length });
    }
  });

  it('refuses a family that is not public, and an export past its limit', async () => {
    const auto = services.catalog.resolver.family('auto')!;
    await assert.rejects(listsWithMembers(auto, services.directory, services.membership, { limit: 200_000 }), FamilyNotPublicError);
    const family = services.catalog.resolver.family('liste')!;
    await assert.rejects(listsWithMembers(family, services.directory, services.membership, { limit: 500 }), (error) => error instanceof ExportTooLargeError && error.code === 'EXPORT_TOO_LARGE');
  });

  it('reads no name longer than the resolver reads (its local-part limit)', async () => {
    const short = await listsWithMembers(services.catalog.resolver.family('liste')!, services.directory, services.membership, { limit: 200_000, localPartMax: 24 });
    const locals = short.lists.map((l) => l.address.split('@')[0] as string);
    assert.ok(locals.includes('liste.chefs-56'));
    for (const local of locals) assert.ok(local.length <= 24, local);
  });
});

describe('GET /v1/families/{name}/export', () => {
  const server = suiteServer({ env: { AUTOLIST_HTTP_READ_TOKEN: 'read-secret-for-books' } });
  const auth = { authorization: 'Bearer read-secret-for-books' };

  it('answers vCards 4.0 that ical.js reads, one a list with members', async () => {
    const answer = await server.request({ url: '/v1/families/liste/export?format=vcard&counts=true', headers: auth });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.equal(answer.headers['content-type'], 'text/vcard; charset=utf-8');
    assert.equal(answer.headers['content-disposition'], 'attachment; filename="liste.vcf"');
    const cards = (ICAL.parse(answer.body) as unknown[][]).map((jcard) => new ICAL.Component(jcard));
    const grenoble = cards.find((c) => c.getFirstPropertyValue('email') === `liste.personnels-site-grenoble${D}`);
    assert.equal(grenoble?.getFirstPropertyValue('fn'), server.services.catalog.resolver.resolve(`liste.personnels-site-grenoble${D}`).description);
    assert.ok(Number(grenoble?.getFirstPropertyValue('x-autolist-members')) > 0);
    assert.ok(!cards.some((c) => c.getFirstPropertyValue('email') === `liste.civils.militaires-75${D}`));
  });

  it('answers CSV with a byte order mark when asked', async () => {
    const answer = await server.request({ url: '/v1/families/liste/export?format=csv&bom', headers: auth });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.equal(answer.headers['content-type'], 'text/csv; charset=utf-8; header=present');
    assert.ok(answer.body.startsWith('\ufeffaddress,description\r\n'));
    const rows = parseCsv(answer.body, { bom: true, columns: true }) as Array<{ address: string }>;
    assert.ok(rows.some((r) => r.address === `liste.personnels-site-grenoble${D}`));
  });

  it('answers problems: a family not public (403), no such family (404), a bad base or format (400), no token (401)', async () => {
    const problem = async (url: string, headers: Record<string, string> = auth) => {
      const answer = await server.request({ url, headers });
      assert.equal(answer.headers['content-type'], 'application/problem+json');
      return { status: answer.statusCode, code: answer.json().code };
    };
    assert.deepEqual(await problem('/v1/families/auto/export?format=csv'), { status: 403, code: 'FAMILY_NOT_PUBLIC' });
    assert.deepEqual(await problem('/v1/families/nope/export?format=csv'), { status: 404, code: 'NO_SUCH_FAMILY' });
    assert.deepEqual(await problem('/v1/families/liste/export?format=ldif&base=not%20a%20dn'), { status: 400, code: 'EXPORT_BAD_BASE' });
    assert.deepEqual(await problem('/v1/families/liste/export?format=pdf'), { status: 400, code: 'BAD_REQUEST' });
    assert.deepEqual(await problem('/v1/families/liste/export?format=csv', {}), { status: 401, code: 'UNAUTHORIZED' });
  });

  it('is in the OpenAPI document', async () => {
    const document = (await server.request('/openapi.json')).json();
    const route = document.paths['/v1/families/{name}/export'].get;
    assert.ok(route.responses['200'].content['text/vcard']);
    assert.ok(route.responses['403']);
  });
});

describe('autolist export', () => {
  it('exits 1 for a family that is not public and 2 for a bad format', async () => {
    const notPublic = await autolist(['export', 'auto', '--format', 'csv']);
    assert.equal(notPublic.code, 1);
    assert.match(notPublic.stderr, /not public/);
    const badFormat = await autolist(['export', 'liste', '--format', 'pdf']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format is one of ldif, vcard, csv/);
  });
});
