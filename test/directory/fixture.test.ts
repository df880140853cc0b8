import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config/config.js';
import { EmbeddedDirectory } from '../../src/directory/index.js';
import { parseFilter } from '../../src/filter/index.js';
import { BASE_DN, DEMO_OPTIONS, type GenerateOptions, writeDirectory } from '../fixtures/generate-directory.js';

const dir = mkdtempSync(join(tmpdir(), 'autolist-fixture-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function generated(options: GenerateOptions, name: string): Promise<Buffer> {
  const file = join(dir, name);
  await writeDirectory(file, options);
  return readFileSync(file);
}

describe('the directory generator', () => {
  it('is deterministic: the same persons and seed give the same bytes, another seed other persons', async () => {
    const [a, b, c] = await Promise.all([generated({ persons: 2000, seed: 5 }, 'a.ldif'), generated({ persons: 2000, seed: 5 }, 'b.ldif'), generated({ persons: 2000, seed: 6 }, 'c.ldif')]);
    assert.ok(a.equals(b));
    assert.ok(!a.equals(c));
  });

  it('regenerates the committed demo directory exactly (3000 persons, 200 chiefs, seed 1)', async () => {
    assert.ok((await generated(DEMO_OPTIONS, 'demo.ldif')).equals(readFileSync(join(import.meta.dirname, '..', '..', 'demo', 'directory.ldif'))));
  });

  it('holds the fixed persons the tests rely on', async () => {
    const directory = EmbeddedDirectory.fromLdif(await generated({ persons: 50, seed: 9 }, 'fixed.ldif'));
    const find = async (filter: string): Promise<Record<string, string[]>[]> => {
      const found = [];
      for await (const entry of directory.search({ base: BASE_DN, scope: 'sub', filter: parseFilter(filter), attributes: [] })) found.push(entry.attributes);
      return found;
    };
    const [bretagne] = await find('(uid=chef.bretagne)');
    assert.deepEqual([bretagne?.title, bretagne?.departmentnumber, bretagne?.mail, bretagne?.maillocaladdress], [['chef'], ['56'], ['chef.bretagne@example.org'], ['jean.chef@example.org']]);
    assert.deepEqual((await find('(uid=chef.capital)'))[0]?.title, ['Chef']);
    assert.deepEqual((await find('(uid=chef.ajaccio)'))[0]?.departmentnumber, ['2A']);
    assert.deepEqual((await find('(uid=chef.bastia)'))[0]?.title, ['CHEF']);
    assert.equal((await find('(uid=gendarme.bretagne)'))[0]?.title?.[0], 'gendarme');
    assert.equal((await find('(&(uid=plongeur.sansmail)(!(mail=*)))')).length, 1);
    assert.equal((await find('(uid=hostile.*)')).length, 2);
  });

  it("adds chiefs after the persons, leaving them as they were: every occupation of auto's lexicon, aged 20 to 99", async () => {
    const [persons, withChiefs] = await Promise.all([generated({ persons: 500, seed: 3 }, 'persons.ldif'), generated({ persons: 500, chiefs: 60, seed: 3 }, 'chiefs.ldif')]);
    assert.ok(withChiefs.subarray(0, persons.length).equals(persons));
    const chiefs = [];
    for await (const entry of EmbeddedDirectory.fromLdif(withChiefs).search({ base: BASE_DN, scope: 'sub', filter: parseFilter('(personAge=*)'), attributes: [] })) chiefs.push(entry.attributes);
    assert.equal(chiefs.length, 60);
    for (const chief of chiefs) assert.ok(Number(chief.personage?.[0]) >= 20 && Number(chief.personage?.[0]) <= 99, String(chief.personage));
    const occupations = readFileSync(join(PROJECT_ROOT, 'families', 'auto', 'occupations.tsv'), 'utf8').matchAll(/\(employeeType=([^)]+)\)/g);
    assert.deepEqual(new Set(chiefs.map((c) => c.employeetype?.[0])), new Set([...occupations].map((m) => m[1])));
  });
});
