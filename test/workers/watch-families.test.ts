import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { D, familiesWith, type FamiliesCopy } from '../harness/families.js';
import { ServeProcess } from '../harness/serve.js';
import { PROJECT_ROOT } from '../../src/config/config.js';

describe('AUTOLIST_WATCH_FAMILIES: a change of the families folder reloads them', () => {
  let families: FamiliesCopy;
  let dir: string;
  let server: ServeProcess;
  let http: string;

  before(async () => {
    families = familiesWith();
    dir = mkdtempSync(join(tmpdir(), 'autolist-watch-'));
    server = ServeProcess.inFolder(dir, { AUTOLIST_FAMILIES_DIR: families.dir, AUTOLIST_WATCH_FAMILIES: 'true', AUTOLIST_HTTP_WORKERS: '2' }, ['--fronts', 'http']);
    http = (await server.fronts()).http as string;
  });

  after(async () => {
    await server.stop();
    families.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const subjectOf = async (address: string): Promise<string> => ((await (await fetch(`${http}/v1/lists/${address}${D}`)).json()) as { subject: string }).subject;

  it('a charter saved in place is in service on every worker, what editors write beside it is not a change', async () => {
    const from = server.lines.length;
    writeFileSync(join(families.dir, 'liste', '.liste.charter.swp'), 'editor state');
    writeFileSync(families.liste, readFileSync(families.liste, 'utf8').replace('subject             "[{who}-{where}]"', 'subject             "[{who}/{where}]"'));
    const reloaded = await server.logged('families reloaded on every worker', from);
    assert.equal(reloaded.workers, 2);
    const changes = server.lines.slice(from).filter((l) => l.msg === 'the families folder changed: reloading');
    assert.ok(changes.length >= 1);
    assert.ok(
      changes.every((l) => !(l.files as string[]).some((f) => f.endsWith('.swp'))),
      JSON.stringify(changes),
    );
    // Two requests, dealt to both workers.
    assert.deepEqual([await subjectOf('liste.chefs-56'), await subjectOf('liste.chefs-56')], ['[chefs/56]', '[chefs/56]']);
  });

  it('a charter that does not compile is reported and the families in service stay', async () => {
    const from = server.lines.length;
    const good = readFileSync(families.liste, 'utf8');
    writeFileSync(families.liste, good.replace('<address>  ::=', '<address>  ::= <nowhere>'));
    const refused = await server.logged('families not reloaded: a charter does not compile; the families in service stay', from);
    assert.match(JSON.stringify(refused.diagnostics), /nowhere/);
    assert.equal(await subjectOf('liste.chefs-56'), '[chefs/56]');
    const back = server.lines.length;
    writeFileSync(families.liste, good);
    await server.logged('families reloaded on every worker', back);
  });

  it('a family folder moved in whole (as an installer does, atomically) is served', async () => {
    const staged = mkdtempSync(join(families.dir, '.staged-'));
    cpSync(join(PROJECT_ROOT, 'test', 'fixtures', 'families', 'equipe'), join(staged, 'equipe'), { recursive: true });
    const from = server.lines.length;
    renameSync(join(staged, 'equipe'), join(families.dir, 'equipe'));
    rmSync(staged, { recursive: true });
    await server.logged('families reloaded on every worker', from);
    const served = ((await (await fetch(`${http}/v1/families`)).json()) as { families: Array<{ name: string }> }).families.map((f) => f.name);
    assert.ok(served.includes('equipe'), served.join(', '));
  });
});
