import { listToJSON } from '../../charter/describe.js';
import { loadConfig } from '../../config/config.js';
import { EXIT, UsageError, out, reportError, type Command } from '../command.js';
import { labels, say } from '../messages.js';
import { resolverFor } from '../setup.js';

export const resolve: Command = {
  name: 'resolve',
  summary: 'show the list an address names, or why it names none',
  usage: `autolist resolve ADDRESS [--json]

Prints the list definition of ADDRESS: family, description, subject tag, LDAP filter,
parameters and rights. An address that names no list gets the column where it goes wrong,
what the charter expected there and up to three valid names close to it (exit 1).`,
  options: { json: { type: 'boolean' } },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError(say('usage.one', { command: 'resolve', argument: 'ADDRESS' }));
    const resolver = resolverFor(loadConfig());
    try {
      const list = listToJSON(resolver.resolve(positionals[0] as string));
      if (values.json) out(JSON.stringify(list, null, 2));
      else {
        const rights = list.rights as Record<string, string>;
        const params = Object.entries(list.params as Record<string, unknown>).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`);
        const names = labels('resolve.labels');
        const width = Math.max(...names.map((n) => n.length)) + 2;
        const row = (i: number, value: string): string => `${(names[i] as string).padEnd(width)}${value}`;
        out(
          [
            row(0, list.address as string),
            row(1, list.family as string),
            row(2, list.description as string),
            row(3, list.subject as string),
            row(4, list.filter as string),
            row(5, params.join(' ')),
            ...Object.entries(rights).map(([action, text], i) => `${i === 0 ? row(6, '') : ' '.repeat(width)}${action}: ${text}`),
          ].join('\n'),
        );
      }
      return EXIT.ok;
    } catch (error) {
      return reportError('resolve', error, values.json === true, positionals[0]);
    }
  },
};
