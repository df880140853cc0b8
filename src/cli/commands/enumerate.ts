import { enumerate as enumerateFamily } from '../../charter/enumerate.js';
import { loadConfig } from '../../config/config.js';
import { EXIT, UsageError, err, integerOption, out, type Command } from '../command.js';
import { say } from '../messages.js';
import { resolverFor } from '../setup.js';

export const enumerate: Command = {
  name: 'enumerate',
  summary: 'list the valid addresses of a family (for address books)',
  usage: `autolist enumerate FAMILY [--limit N]

Prints the addresses of FAMILY, one a line, lexicons expanded. A family with finitely many
names is listed whole. One with infinitely many (a repetition, a token class with no bounds)
needs --limit: names are then listed shortest repetitions first, open token classes left out.`,
  options: { limit: { type: 'string' } },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError(say('usage.one', { command: 'enumerate', argument: 'FAMILY' }));
    const limit = integerOption(values.limit, 'limit', undefined);
    const resolver = resolverFor(loadConfig());
    const family = resolver.family(positionals[0] as string);
    if (!family) {
      err(`autolist: ${say('enumerate.no-family', { name: positionals[0] as string, families: resolver.families.map((f) => f.name).join(', ') })}`);
      return EXIT.input;
    }
    const result = enumerateFamily(family, { localPartMax: resolver.localPartMax });
    if (!result.finite && limit === undefined) {
      err(`autolist: ${say('enumerate.infinite', { family: family.name, open: result.open.join(', ') })}`);
      return EXIT.input;
    }
    const domain = family.header.domains[0];
    let count = 0;
    const lines: string[] = [];
    for (const name of result.names) {
      if (limit !== undefined && count >= limit) break;
      lines.push(`${name}@${domain}`);
      count++;
      if (lines.length >= 1000) out(lines.splice(0).join('\n'));
    }
    if (lines.length > 0) out(lines.join('\n'));
    return EXIT.ok;
  },
};
