import { once } from 'node:events';
import type { Family } from '../../charter/family.js';
import { DEFAULT_EXPORT_LIMIT, EXPORT_FORMATS, type ExportFormat, type ExportProgress, exportBase, exportConcurrency, type FamilyExport, listsWithMembers, writeExport } from '../../export/index.js';
import { EXIT, UsageError, err, integerOption, reportError, type Command } from '../command.js';
import { COUNT, withProgress } from '../progress.js';
import { commandServices } from '../setup.js';

export const exportCommand: Command = {
  name: 'export',
  summary: 'the lists of public families that have members, as an address book (LDIF, vCard, CSV)',
  usage: `autolist export FAMILY... --format ldif|vcard|csv [--counts] [--bom] [--base DN] [--limit N]

Prints the lists of each FAMILY (its charter must say "public yes") that have members, with their
address and description, for address books: Thunderbird's and Outlook's directories (LDIF, to load
with ldapadd or slapadd), contacts (vCard 4.0) or a spreadsheet (CSV, UTF-8).

The names come from the charter: every name of its finite parts, open token classes filled with the
directory's values of the attribute they filter (<town> from the values of l), repetitions round by
round until one round has no list with members. Names that are the same list (an AND in another
order) give one entry; each remaining list is expanded from the directory, and kept when it has a
member. On a terminal, progress is shown on standard error.

  --format   ldif, vcard or csv
  --counts   the member count of each list: a CSV column, X-AUTOLIST-MEMBERS in vCards, a comment in LDIF
  --bom      CSV: a UTF-8 byte order mark first (for Excel)
  --base DN  LDIF: the entries go under mail=ADDRESS,DN (default AUTOLIST_EXPORT_BASE, else
             ou=lists, above the family's base)
  --limit N  most names read from each charter (default ${DEFAULT_EXPORT_LIMIT}); past it the export fails
             rather than leave lists out

Exits 1 for a family that does not exist or is not public, 75 when the directory is down.`,
  options: { format: { type: 'string' }, counts: { type: 'boolean' }, bom: { type: 'boolean' }, base: { type: 'string' }, limit: { type: 'string' } },
  async run(values, positionals) {
    if (positionals.length === 0) throw new UsageError('export takes one FAMILY or more');
    const format = values.format;
    if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format is one of ${EXPORT_FORMATS.join(', ')}`);
    const limit = integerOption(values.limit, 'limit', DEFAULT_EXPORT_LIMIT) as number;
    const services = await commandServices();
    try {
      const families: Family[] = [];
      for (const name of positionals) {
        const family = services.catalog.resolver.family(name);
        if (!family) {
          err(`autolist export: no family "${name}" (families: ${services.catalog.resolver.families.map((f) => f.name).join(', ')})`);
          return EXIT.input;
        }
        families.push(family);
      }
      const bases = new Map(families.map((f) => [f.name, exportBase(f, values.base as string | undefined, services.config.export.base)]));
      const exports: FamilyExport[] = [];
      for (const family of families) {
        let progress: ExportProgress = { examined: 0, expanded: 0, withMembers: 0 };
        const work = listsWithMembers(family, services.directory, services.membership, {
          limit,
          concurrency: exportConcurrency(services.config),
          localPartMax: services.catalog.resolver.localPartMax,
          onProgress: (p) => (progress = { ...p }),
        });
        const result = await withProgress(`exporting ${family.name}`, () => status(progress), work);
        if (result.leftOut.length > 0) err(`autolist export: ${family.name}: no names listed for ${result.leftOut.join(', ')} (the directory cannot fill them)`);
        exports.push(result);
      }
      const lists = exports.flatMap((e) => e.lists);
      await print(writeExport(lists, { format: format as ExportFormat, counts: values.counts === true, bom: values.bom === true, baseOf: (family) => bases.get(family) as string }));
      return EXIT.ok;
    } catch (error) {
      return reportError('export', error, false);
    } finally {
      await services.close();
    }
  },
};

function status(p: ExportProgress): string {
  return `${COUNT.format(p.examined)} names read, ${COUNT.format(p.expanded)} lists expanded, ${COUNT.format(p.withMembers)} with members`;
}

/** Writes the pieces to standard output, waiting when it is full. */
async function print(pieces: Iterable<string>): Promise<void> {
  for (const piece of pieces) if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
}
