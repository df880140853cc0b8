/**
 * `autolist overrides` and `autolist members` with exclusions and additions in the store (files
 * under a temporary AUTOLIST_RELAY_STATE_DIR), the test family equipe (unsubscribe: anyone;
 * subscribe: people of the directory who are not civil) and the demo directory. The choices are
 * recorded here through the store, as the -request robot and the one-click link record them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Services } from '../../src/services.js';
import { autolist } from '../harness/cli.js';
import { familiesWith } from '../harness/families.js';
import { testServices } from '../harness/services.js';
import { demoAddresses } from '../smtp/helpers.js';

const LIST = 'equipe-2a@lists.example.org';
const FRENCH = { LANG: 'fr_FR.UTF-8' };
const person = (a: Map<string, string[]>): boolean => (a.get('objectclass') ?? []).some((c) => c.toLowerCase() === 'inetorgperson');
const department = (a: Map<string, string[]>): string => (a.get('departmentnumber')?.[0] ?? '').toLowerCase();
/** The directory's members of equipe-2a: every person of département 2A. */
const MEMBERS = demoAddresses((a) => person(a) && department(a) === '2a');
/** A member who unsubscribes, and a person of another département, not civil, who subscribes. */
const LEAVER = MEMBERS[1] as string;
const JOINER = demoAddresses((a) => person(a) && department(a) === '56' && (a.get('employeetype')?.[0] ?? '') !== 'civil')[0] as string;
const lines = (text: string): string[] => text.split('\n').filter(Boolean);

describe('autolist overrides and members, with exclusions and additions', () => {
  let dir: string;
  let families: ReturnType<typeof familiesWith>;
  let services: Services;
  let env: Record<string, string>;

  before(async () => {
    assert.ok(MEMBERS.length > 5 && JOINER);
    dir = mkdtempSync(join(tmpdir(), 'autolist-cli-opt-'));
    families = familiesWith([], ['equipe']);
    env = { AUTOLIST_FAMILIES_DIR: families.dir, AUTOLIST_RELAY_STATE_DIR: join(dir, 'state'), AUTOLIST_BOUNCES_FILE: join(dir, 'bounces.log') };
    services = await testServices({ env });
    const list = services.catalog.resolver.resolve(LIST);
    assert.equal((await services.subscriptions.apply(list, LEAVER, 'unsubscribe', 'one-click')).result, 'excluded');
    assert.equal((await services.subscriptions.apply(list, JOINER, 'subscribe', 'mail')).result, 'added');
  });
  after(async () => {
    await services?.close();
    families?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('members gives the directory’s members less the exclusion, plus the addition, as mail goes', async () => {
    const expected = [...MEMBERS.filter((m) => m !== LEAVER), JOINER].sort();
    const [text, count, json] = await Promise.all([autolist(['members', LIST], env), autolist(['members', '--count', LIST], env), autolist(['members', '--json', LIST], env)]);
    assert.equal(text.code, 0, text.stderr);
    assert.deepEqual(lines(text.stdout), expected);
    assert.equal(count.stdout, `${expected.length}\n`);
    assert.deepEqual((JSON.parse(json.stdout) as { members: string[] }).members, expected);
    const list = services.catalog.resolver.resolve(LIST);
    assert.deepEqual((await services.subscriptions.members(list)).members, lines(text.stdout), 'the members delivery uses');
  });

  it('overrides lists the exclusion and the addition: address, kind, when, how, rule; in French; as JSON', async () => {
    const [english, french, json] = await Promise.all([autolist(['overrides', LIST], env), autolist(['overrides', LIST], { ...env, ...FRENCH }), autolist(['overrides', '--json', LIST], env)]);
    assert.equal(english.code, 0, english.stderr);
    const rows = lines(english.stdout);
    assert.match(rows[0] as string, /^ADDRESS +KIND +WHEN +HOW +RULE$/);
    const at = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ';
    const byAddress = new Map(rows.slice(1).map((r) => [r.split(' ')[0], r]));
    assert.equal(byAddress.size, 2);
    assert.match(byAddress.get(LEAVER) as string, new RegExp(`^${LEAVER.replaceAll('.', '\\.')} +exclusion +${at} +one-click +equipe/equipe\\.charter:\\d+$`));
    assert.match(byAddress.get(JOINER) as string, new RegExp(`^${JOINER.replaceAll('.', '\\.')} +addition +${at} +mail +equipe/equipe\\.charter:\\d+$`));
    assert.match(french.stdout, /^ADRESSE +TYPE +QUAND +COMMENT +RÈGLE$/m);
    assert.match(french.stdout, new RegExp(`^${LEAVER.replaceAll('.', '\\.')} +exclusion +\\S+ +un clic `, 'm'));
    assert.match(french.stdout, new RegExp(`^${JOINER.replaceAll('.', '\\.')} +ajout +\\S+ +courriel `, 'm'));
    const shown = JSON.parse(json.stdout) as { list: string; overrides: Array<{ address: string; kind: string; how: string; admitted: boolean }> };
    assert.equal(shown.list, LIST);
    assert.deepEqual(
      shown.overrides.map((o) => [o.address, o.kind, o.how, o.admitted]).sort(),
      [
        [LEAVER, 'exclusion', 'one-click', true],
        [JOINER, 'addition', 'mail', true],
      ].sort(),
    );
  });

  it('overrides --undo undoes the exclusion (the directory decides again), once; a bad address is a usage error', async () => {
    const undone = await autolist(['overrides', LIST, '--undo', LEAVER.toUpperCase()], env);
    assert.equal(undone.code, 0, undone.stderr);
    assert.equal(undone.stdout, `the exclusion of ${LEAVER} on ${LIST} is undone: the directory alone decides again\n`);
    const members = await autolist(['members', LIST], env);
    assert.deepEqual(lines(members.stdout), [...MEMBERS, JOINER].sort());
    const [again, french, json, bad] = await Promise.all([
      autolist(['overrides', LIST, '--undo', LEAVER], env),
      autolist(['overrides', LIST, '--undo', LEAVER], { ...env, ...FRENCH }),
      autolist(['overrides', LIST, '--undo', LEAVER, '--json'], env),
      autolist(['overrides', LIST, '--undo', 'nobody'], env),
    ]);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, `autolist overrides: ${LEAVER} has neither an exclusion nor an addition on ${LIST}\n`);
    assert.equal(french.code, 1);
    assert.equal(french.stderr, `autolist overrides: ${LEAVER} n’a ni exclusion ni ajout sur ${LIST}\n`);
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), { list: LIST, address: LEAVER, undone: null });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--undo takes a person’s address/);
    const left = JSON.parse((await autolist(['overrides', '--json', LIST], env)).stdout) as { overrides: Array<{ address: string }> };
    assert.deepEqual(
      left.overrides.map((o) => o.address),
      [JOINER],
    );
  });
});
