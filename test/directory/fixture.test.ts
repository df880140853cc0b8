import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EmbeddedDirectory } from '../../src/directory/index.js';
import { parseFilter } from '../../src/filter/index.js';
import { BASE_DN, writeDirectory } from '../fixtures/generate-directory.js';

const dir = mkdtempSync(join(tmpdir(), 'autolist-fixture-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function generated(persons: number, seed: number, name: string): Promise<Buffer> {
  const file = join(dir, name);
  await writeDirectory(file, { persons, seed });
  return readFileSync(file);
}

describe('the directory generator', () => {
  it('is deterministic: the same persons and seed give the same bytes, another seed other persons', async () => {
    const [a, b, c] = await Promise.all([generated(2000, 5, 'a.ldif'), generated(2000, 5, 'b.ldif'), generated(2000, 6, 'c.ldif')]);
    assert.ok(a.equals(b));
    assert.ok(!a.equals(c));
  });

  it('regenerates the committed demo directory exactly (3000 persons, seed 1)', async () => {
    assert.ok((await generated(3000, 1, 'demo.ldif')).equals(readFileSync(join(import.meta.dirname, '..', '..', 'demo', 'directory.ldif'))));
  });

  it('holds the fixed persons the tests rely on', async () => {
    const directory = EmbeddedDirectory.fromLdif(await generated(50, 9, 'fixed.ldif'));
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
});
