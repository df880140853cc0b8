import { loadConfig } from '../../config/config.js';
import { AutolistError } from '../../errors.js';
import { EXIT, out, type Command } from '../command.js';
import { errorText, say } from '../messages.js';
import { resolverFor } from '../setup.js';

export const examples: Command = {
  name: 'examples',
  summary: "resolve every family's example addresses and show what they mean",
  usage: `autolist examples [FAMILY...]

For each family (default: all), resolves the example addresses its charter gives and prints
each one's description and filter, or why it is refused.`,
  options: {},
  async run(_values, positionals) {
    const resolver = resolverFor(loadConfig());
    const families = positionals.length > 0 ? resolver.families.filter((f) => positionals.includes(f.name)) : resolver.families;
    for (const family of families) {
      out(`${family.name}: ${family.header.domains.join(', ')}`);
      for (const example of family.examples) {
        const address = example.address.includes('@') ? example.address : `${example.address}@${family.header.domains[0]}`;
        try {
          const list = resolver.resolve(address);
          out(`  ${address}\n      ${list.description}  ${list.subject}\n      ${list.filterText}`);
        } catch (error) {
          if (!(error instanceof AutolistError)) throw error;
          out(`  ${address}\n      ${say('examples.refused', { reason: errorText(error, address) })}`);
        }
      }
    }
    return EXIT.ok;
  },
};
