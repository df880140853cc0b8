import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config/config.js';

/** The README's listings of charters: fenced blocks whose first statement is `family NAME`. */
function charterListings(): Array<{ family: string; text: string }> {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const listings: Array<{ family: string; text: string }> = [];
  for (const [, text] of readme.matchAll(/^```\n([\s\S]*?)^```$/gm)) {
    const family = /^family\s+(\S+)/m.exec(text ?? '');
    if (family && !text?.startsWith('mkdir')) listings.push({ family: family[1] as string, text: text as string });
  }
  return listings;
}

describe("the README's charters", () => {
  it('lists each shipped family exactly as its file holds it', () => {
    const shipped = charterListings().filter(({ family }) => existsSync(join(PROJECT_ROOT, 'families', family, `${family}.charter`)));
    assert.ok(
      shipped.some((l) => l.family === 'liste'),
      'the README lists the shipped liste',
    );
    for (const { family, text } of shipped)
      assert.equal(text, readFileSync(join(PROJECT_ROOT, 'families', family, `${family}.charter`), 'utf8'), `README's ${family} differs from families/${family}/${family}.charter`);
  });
});
