import { PresenceFilter } from 'ldapts';
import type { Family } from '../charter/family.js';
import type { Directory } from '../directory/index.js';
import { ExportTooLargeError } from './errors.js';
import type { OpenClass } from './open-classes.js';

/** Most distinct values one attribute may give an open token class. */
export const MAX_VALUES = 10_000;

/**
 * The directory's values of each open class's attribute, under the family's base, in lower case
 * (names are read in lower case; these attributes compare without case), by class id: one search
 * per attribute, whose entries are read one by one and not kept.
 */
export async function directoryValues(directory: Directory, family: Family, classes: readonly OpenClass[]): Promise<Map<string, string[]>> {
  const { base, scope } = family.header.directory;
  const byAttribute = new Map<string, Set<string>>();
  for (const { attribute } of classes) {
    const key = attribute.toLowerCase();
    if (byAttribute.has(key)) continue;
    const values = new Set<string>();
    for await (const entry of directory.search({ base, scope, filter: new PresenceFilter({ attribute }), attributes: [attribute] })) {
      for (const value of entry.attributes[key] ?? []) {
        values.add(value.trim().toLowerCase());
        if (values.size > MAX_VALUES) throw new ExportTooLargeError(`the directory holds more than ${MAX_VALUES} values of ${attribute} for the family ${family.name}`, MAX_VALUES);
      }
    }
    byAttribute.set(key, values);
  }
  return new Map(classes.map((c) => [c.id, [...(byAttribute.get(c.attribute.toLowerCase()) ?? [])].sort()]));
}
