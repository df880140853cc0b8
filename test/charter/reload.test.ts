/**
 * A list definition carries its family's settings (owners, empty lists, DMARC, senders): a front
 * that resolved a list before a reload keeps reading the family as it was then.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { Catalog } from '../../src/charter/catalog.js';
import type { ListDefinition } from '../../src/charter/list.js';
import { familiesWith } from '../harness/families.js';

const LIST = 'liste.chefs-56@lists.example.org';

const settingsOf = (list: ListDefinition): unknown[] => [list.owners, list.acceptEmptyLists, list.rewriteFrom, list.senders];

describe('a family reloaded after a list was resolved', () => {
  const families = familiesWith([]);
  after(() => families.dispose());

  it('leaves the earlier list with its own settings; the list resolved since carries the new ones', () => {
    const catalog = new Catalog(families.dir);
    const earlier = catalog.resolver.resolve(LIST);
    assert.deepEqual(settingsOf(earlier), [[], false, false, 'verified']);

    const header = ['owners listmaster@example.org', 'empty-lists accept', 'dmarc rewrite-from', 'senders any'].join('\n');
    writeFileSync(families.liste, readFileSync(families.liste, 'utf8').replace(/^senders +verified$/m, header));
    catalog.reload();

    const since = catalog.resolver.resolve(LIST);
    assert.deepEqual(settingsOf(since), [['listmaster@example.org'], true, true, 'any']);
    assert.deepEqual(settingsOf(earlier), [[], false, false, 'verified']);
    assert.equal(since.filterText, earlier.filterText, 'the same list, of two versions of its family');
  });
});
