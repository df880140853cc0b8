/** The shipped families (families/) as the tests use them: a resolver over them, and copies to edit or serve. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFamilies } from '../../src/charter/load.js';
import { Resolver } from '../../src/charter/resolver.js';
import { PROJECT_ROOT } from '../../src/config/config.js';

/** The domain of the shipped families' lists, as the end of an address: `liste.chefs-56${D}`. */
export const D = '@lists.example.org';

let shipped: Resolver | undefined;
/** A resolver over the shipped families, compiled once a test file. */
export function shippedResolver(): Resolver {
  shipped ??= new Resolver(loadFamilies(join(PROJECT_ROOT, 'families')));
  return shipped;
}

export interface FamiliesCopy {
  dir: string;
  /** The copy's liste charter. */
  liste: string;
  /** Removes the copy. */
  dispose(): void;
}

/**
 * A copy of the shipped families in a temporary folder, with header lines set in the liste charter
 * (a line replaces the one of the same key, or comes after cache-ttl), and the test families named
 * in `fixtures` (test/fixtures/families) beside them.
 */
export function familiesWith(listeHeaderLines: string[] = [], fixtures: string[] = []): FamiliesCopy {
  const dir = mkdtempSync(join(tmpdir(), 'autolist-families-'));
  cpSync(join(PROJECT_ROOT, 'families'), dir, { recursive: true });
  for (const family of fixtures) cpSync(join(PROJECT_ROOT, 'test', 'fixtures', 'families', family), join(dir, family), { recursive: true });
  const liste = join(dir, 'liste', 'liste.charter');
  let text = readFileSync(liste, 'utf8');
  const added: string[] = [];
  for (const line of listeHeaderLines) {
    const key = new RegExp(`^${line.split(/\s/)[0]}\\s.*$`, 'm');
    if (key.test(text)) text = text.replace(key, line);
    else added.push(line);
  }
  writeFileSync(liste, added.length === 0 ? text : text.replace(/^cache-ttl .*$/m, `$&\n${added.join('\n')}`));
  return { dir, liste, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
