/**
 * The lists of the shipped `liste` family that have members, computed from the directory's entries
 * rather than from the charter's filters: each entry with an address is put in every list it
 * belongs to, by the meaning the charter gives names (who: personnels, sites, categories of
 * categories.tsv in table order; where: national, département, region of regions.tsv, site).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config/config.js';
import type { LdifRecord } from '../../src/directory/embedded/index.js';

const LISTE = join(PROJECT_ROOT, 'families', 'liste');

function table(file: string): Array<{ token: string; filter: string }> {
  const [, ...rows] = readFileSync(join(LISTE, file), 'utf8').trim().split('\n');
  return rows.map((row) => {
    const [token, filter] = row.split('\t') as [string, string];
    return { token, filter };
  });
}

/** Every way to take one or more of the items, in their order. */
function subsets<T>(items: T[]): T[][] {
  return items.flatMap((item, i) => [[item], ...subsets(items.slice(i + 1)).map((rest) => [item, ...rest])]);
}

export function listsWithMembers(entries: LdifRecord[], domain: string): Set<string> {
  const categories = table('categories.tsv').map(({ token, filter }) => {
    const [, attribute, value] = /^\(([A-Za-z]+)=([^)]+)\)$/.exec(filter) as RegExpExecArray;
    return { token, attribute: (attribute as string).toLowerCase(), value: (value as string).toLowerCase() };
  });
  const regions = table('regions.tsv').map(({ token, filter }) => ({ token, departments: [...filter.matchAll(/departmentNumber=(\w+)/g)].map((m) => (m[1] as string).toLowerCase()) }));
  const names = new Set<string>();
  for (const entry of entries) {
    const values = (name: string): string[] => entry.attributes.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v.toLowerCase());
    if (values('mail').length === 0) continue;
    const classes = values('objectclass');
    const who: string[] = [];
    if (classes.includes('inetorgperson')) who.push('personnels');
    if (classes.includes('organizationalunit')) who.push('sites');
    const matched = categories.filter((c) => values(c.attribute).includes(c.value)).map((c) => c.token);
    who.push(...subsets(matched).map((s) => s.join('.')));
    const departments = values('departmentnumber');
    const where = ['national'];
    for (const d of departments) {
      const n = Number(d);
      if ((/^[0-9]{2}$/.test(d) && ((n >= 1 && n <= 19) || (n >= 21 && n <= 95))) || /^2[ab]$/.test(d)) where.push(d);
    }
    where.push(...regions.filter((r) => r.departments.some((d) => departments.includes(d))).map((r) => r.token));
    where.push(
      ...values('l')
        .filter((l) => /^[a-z0-9][a-z0-9-]*$/.test(l))
        .map((l) => `site-${l}`),
    );
    for (const w of who) for (const x of where) names.add(`liste.${w}-${x}${domain}`);
  }
  return names;
}
