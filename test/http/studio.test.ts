import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { familyDirs } from '../../src/charter/load.js';
import { FamilyInstaller } from '../../src/studio/installer.js';
import { familiesWith } from '../harness/families.js';
import { D, TestServer } from './helpers.js';
import { EQUIPES } from './studio-family.js';

const ADMIN = 'admin-token-0123456789';
const READ = 'read-token-0123456789';

/** The same family with a mistake: a rule used but never defined. */
const BROKEN = { ...EQUIPES, charter: EQUIPES.charter.replace("<who> '-' <dept>", "<who> '-' <dept> <site>") };

describe('the charter studio routes', { timeout: 120_000 }, () => {
  const families = familiesWith();
  let server: TestServer;
  const admin = { authorization: `Bearer ${ADMIN}` };
  const post = (url: string, payload: object, headers: Record<string, string> = admin) => server.request({ url, method: 'POST', headers, payload });

  before(async () => {
    server = await TestServer.start({ env: { AUTOLIST_FAMILIES_DIR: families.dir, AUTOLIST_HTTP_ADMIN_TOKEN: ADMIN, AUTOLIST_HTTP_READ_TOKEN: READ } });
  });
  after(async () => {
    await server.close();
    families.dispose();
  });

  it('are for the admin token only', async () => {
    assert.equal((await post('/v1/studio/check', EQUIPES, {})).statusCode, 401);
    const read = await post('/v1/studio/check', EQUIPES, { authorization: `Bearer ${READ}` });
    assert.equal(read.statusCode, 403);
    assert.equal(read.json().code, 'FORBIDDEN');
  });

  it('check a draft: diagnostics at file:line:col, the charter’s tokens, no diagrams until it compiles', async () => {
    const answer = await post('/v1/studio/check', BROKEN);
    assert.equal(answer.statusCode, 200);
    const body = answer.json();
    assert.equal(body.ok, false);
    assert.deepEqual(
      body.diagnostics.map((d: { file: string; line: number; col: number }) => `${d.file}:${d.line}`),
      ['equipes.charter:8'],
    );
    assert.match(body.diagnostics[0].message, /<site>|site/);
    assert.deepEqual(body.railroad, []);
    const kinds = new Map<string, string>(body.tokens.map((t: { at: number; length: number; kind: string }) => [BROKEN.charter.slice(t.at, t.at + t.length), t.kind]));
    assert.equal(kinds.get('family'), 'key');
    assert.equal(kinds.get('<address>'), 'rule');
    assert.equal(kinds.get('::='), 'operator');
    assert.equal(kinds.get('table'), 'keyword');
    assert.equal(kinds.get('(departmentNumber={text})'), 'filter');
    assert.equal(kinds.get('"dc=example,dc=org"'), 'string');
  });

  it('check a draft that compiles: a railroad diagram of each rule, as SVG with its text escaped', async () => {
    const body = (await post('/v1/studio/check', { ...EQUIPES, charter: EQUIPES.charter.replace('<dept>    ::=', "<dept>    ::= 'x<&>'\n          |") })).json();
    assert.equal(body.ok, true, JSON.stringify(body.diagnostics));
    assert.deepEqual(
      body.railroad.map((r: { rule: string }) => r.rule),
      ['address', 'who', 'dept'],
    );
    const dept = body.railroad[2].svg as string;
    assert.match(dept, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="railroad-diagram"/);
    assert.ok(dept.includes('x&#60;&#38;>'), 'the literal’s < and & escaped');
    assert.ok(!/<script|on\w+=/i.test(body.railroad.map((r: { svg: string }) => r.svg).join('')));
  });

  it('try a draft on the live directory: the list, its member count and first members, a decision, the family’s addresses', async () => {
    const { count } = (await server.request({ url: `/v1/lists/liste.chefs-56${D}/members?count`, headers: admin })).json();
    const answer = await post('/v1/studio/try', { ...EQUIPES, address: 'chefs-56', sender: 'chef.bretagne@example.org', enumerate: 5 });
    assert.equal(answer.statusCode, 200);
    const body = answer.json();
    assert.equal(body.list.address, 'chefs-56@teams.example.org');
    assert.equal(body.list.filter, '(&(title=chef)(departmentNumber=56))');
    assert.equal(body.list.description, 'Chefs du département 56');
    assert.equal(body.members.count, count);
    assert.equal(body.members.first.length, Math.min(20, count));
    assert.ok(body.members.first.includes('chef.bretagne@example.org'));
    assert.equal(body.decision.decision, 'allow');
    assert.deepEqual(body.enumerated.addresses, ['chefs-01@teams.example.org', 'chefs-02@teams.example.org', 'chefs-03@teams.example.org', 'chefs-04@teams.example.org', 'chefs-05@teams.example.org']);
    const denied = (await post('/v1/studio/try', { ...EQUIPES, address: 'chefs-56@teams.example.org', sender: 'gendarme.bretagne@example.org' })).json();
    assert.equal(denied.decision.decision, 'deny');
  });

  it('try an address the draft does not name: where it goes wrong, as the lists route says it', async () => {
    const body = (await post('/v1/studio/try', { ...EQUIPES, address: 'chfs-56' })).json();
    assert.equal(body.refusal.code, 'NO_SUCH_LIST');
    assert.equal(body.refusal.column, 3);
    assert.equal(body.list, undefined);
    assert.ok(body.enumerated.addresses.length > 0);
  });

  it('refuse to try or install a draft that does not compile: 422 with the diagnostics, nothing written', async () => {
    for (const url of ['/v1/studio/try', '/v1/studio/install']) {
      const answer = await post(url, BROKEN);
      assert.equal(answer.statusCode, 422, url);
      assert.equal(answer.headers['content-type'], 'application/problem+json');
      assert.equal(answer.json().code, 'CHARTER_INVALID');
      assert.equal(answer.json().diagnostics[0].file, 'equipes.charter');
    }
    assert.equal(existsSync(join(families.dir, 'equipes')), false);
    assert.equal((await server.request({ url: '/v1/lists/chefs-56@teams.example.org', headers: admin })).statusCode, 404);
  });

  it('refuse drafts past their bounds, and family or lexicon names that are not folder names', async () => {
    assert.equal((await post('/v1/studio/check', { ...EQUIPES, charter: 'x'.repeat(262_145) })).statusCode, 400);
    assert.equal((await post('/v1/studio/check', { ...EQUIPES, name: '../liste' })).statusCode, 400);
    assert.equal((await post('/v1/studio/check', { ...EQUIPES, lexicons: { '../x': '' } })).statusCode, 400);
    assert.equal((await post('/v1/studio/check', { ...EQUIPES, lexicons: { metiers: 'x'.repeat(1_100_000) } })).statusCode, 413);
  });

  it('install a draft: written into the families folder and in service at once', async () => {
    const answer = await post('/v1/studio/install', EQUIPES);
    assert.equal(answer.statusCode, 200, answer.body);
    const body = answer.json();
    assert.equal(body.family, 'equipes');
    assert.equal(body.replaced, null);
    assert.deepEqual(body.families, ['auto', 'equipes', 'liste']);
    assert.equal(readFileSync(join(families.dir, 'equipes', 'equipes.charter'), 'utf8'), EQUIPES.charter);
    assert.equal(readFileSync(join(families.dir, 'equipes', 'metiers.tsv'), 'utf8'), EQUIPES.lexicons.metiers);
    const list = (await server.request({ url: '/v1/lists/gendarmes-29@teams.example.org', headers: admin })).json();
    assert.equal(list.description, 'Gendarmes du département 29');
    const files = (await server.request({ url: '/v1/studio/families/equipes', headers: admin })).json();
    assert.deepEqual(files, EQUIPES);
    assert.deepEqual(readdirSync(join(families.dir, '.staging')), [], 'nothing left staged');
  });

  it('keep the version an install replaces, and restore it (the restore itself kept in turn)', async () => {
    const renamed = { ...EQUIPES, lexicons: { metiers: EQUIPES.lexicons.metiers.replace('\tGendarmes', '\tGendarmes mobiles') } };
    const answer = (await post('/v1/studio/install', renamed)).json();
    assert.match(answer.replaced, /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    assert.equal((await server.request({ url: '/v1/lists/gendarmes-29@teams.example.org', headers: admin })).json().description, 'Gendarmes mobiles du département 29');
    const { versions } = (await server.request({ url: '/v1/studio/families/equipes/versions', headers: admin })).json();
    assert.deepEqual(versions, [answer.replaced]);

    const restored = await post(`/v1/studio/families/equipes/versions/${answer.replaced}/restore`, {});
    assert.equal(restored.statusCode, 200, restored.body);
    assert.equal((await server.request({ url: '/v1/lists/gendarmes-29@teams.example.org', headers: admin })).json().description, 'Gendarmes du département 29');
    const after = (await server.request({ url: '/v1/studio/families/equipes/versions', headers: admin })).json().versions;
    assert.equal(after.length, 2);
    assert.equal(after[0], restored.json().replaced, 'newest first');
    assert.equal(after[1], answer.replaced, 'the restored version stays kept');
  });

  it('answer a version that is not kept with a 404 problem, and a name that is no version with it too', async () => {
    for (const version of ['2001-01-01T00-00-00.000Z', '..', 'x']) {
      const answer = await post(`/v1/studio/families/equipes/versions/${encodeURIComponent(version)}/restore`, {});
      assert.equal(answer.statusCode, 404, version);
      assert.equal(answer.json().code, 'STUDIO_NO_SUCH_VERSION');
    }
  });

  it('leave the history and staging folders out of the families: they are dot folders', () => {
    assert.ok(existsSync(join(families.dir, '.history', 'equipes')));
    assert.deepEqual(
      familyDirs(families.dir).map((d) => d.slice(families.dir.length + 1)),
      ['auto', 'equipes', 'liste'],
    );
  });
});

/**
 * A reader of the folder in another process, reading the family again and again as a reload does,
 * while this one installs version after version: every read is one whole version (its charter and
 * lexicon agree), or, for the instant between the two renames of an install, no folder at all.
 */
describe('an install seen by a reader of the families folder', { timeout: 120_000 }, () => {
  const families = familiesWith();
  after(() => families.dispose());

  const version = (n: number) => ({
    [`${EQUIPES.name}.charter`]: EQUIPES.charter.replace('description  "', `description  "v${n} `),
    // A lexicon large enough that writing it is not one system call.
    'metiers.tsv': `${EQUIPES.lexicons.metiers}${Array.from({ length: 4000 }, (_, i) => `metier${i}\t(title=m${i})\tv${n}`).join('\n')}\n`,
  });

  it('never sees part of one version with part of another', async () => {
    const installer = new FamilyInstaller(families.dir);
    await installer.install('equipes', version(0));
    const stop = join(families.dir, '.stop');
    const reader = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `
        import { existsSync } from 'node:fs';
        import { readFamilySource } from './src/charter/load.ts';
        const counts = { whole: 0, absent: 0, mixed: 0 };
        process.stdout.write('reading\\n');
        while (!existsSync(${JSON.stringify(stop)})) {
          try {
            const source = readFamilySource(${JSON.stringify(join(families.dir, 'equipes'))});
            const charter = /"v(\\d+) /.exec(source.text)[1];
            const lexicon = /\\tv(\\d+)\\n$/.exec(source.lexicons[0].text)[1];
            counts[charter === lexicon ? 'whole' : 'mixed']++;
          } catch (error) {
            if (error.code !== 'ENOENT') throw error;
            counts.absent++;
          }
        }
        process.stdout.write(JSON.stringify(counts) + '\\n');
      `,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    reader.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => reader.once('exit', resolve));
    await new Promise<void>((resolve) => reader.stdout.once('data', () => resolve()));
    for (let n = 1; n <= 40; n++) await installer.install('equipes', version(n));
    writeFileSync(stop, '');
    assert.equal(await exited, 0);
    const counts = JSON.parse(out.trim().split('\n').at(-1) as string);
    assert.equal(counts.mixed, 0, out);
    assert.ok(counts.whole > 0, out);
    assert.equal((await installer.versions('equipes')).length, 40);
  });
});
