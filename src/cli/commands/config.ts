import { type ConfigValue, type ConfigVariable, readConfig } from '../../config/config.js';
import { EXIT, UsageError, out, type Command } from '../command.js';
import { labels, say } from '../messages.js';

export const config: Command = {
  name: 'config',
  summary: 'show the configuration autolist runs with, and where each value comes from',
  usage: `autolist config [--json]

Reads the configuration from the environment as autolist serve does, and prints each variable
read: its value, and whether it is set or the default stands in. The LDAP settings are read, and
listed, once AUTOLIST_LDAP_URL is set.
Secrets (passwords, tokens, their _FILE forms) are never printed: "***" stands for them, and
a relay URL shows its scheme, host and port only. A configuration autolist serve would refuse
is refused alike (CONFIG_INVALID, every problem named, exit 1).

  --json   the variables as JSON: variable, value, default, set, secret (and file, for a
           secret read from a file); null where there is no value`,
  options: { json: { type: 'boolean' } },
  async run(values, positionals) {
    if (positionals.length > 0) throw new UsageError(say('usage.no-arguments', { command: 'config' }));
    const { variables } = readConfig();
    out(values.json ? JSON.stringify({ variables: variables.map(toJSON) }, null, 2) : table(variables));
    return EXIT.ok;
  },
};

function toJSON(v: ConfigVariable): Record<string, unknown> {
  return { variable: v.variable, value: v.value ?? null, default: v.default ?? null, set: v.set, secret: v.secret, ...(v.file === undefined ? {} : { file: v.file }) };
}

function table(variables: ConfigVariable[]): string {
  const rows = [labels('config.header'), ...variables.map((v) => [v.variable, say(v.set ? 'config.set' : 'config.default'), shown(v)])];
  const [nameWidth, fromWidth] = [0, 1].map((column) => Math.max(...rows.map((row) => (row[column] as string).length))) as [number, number];
  return rows.map(([name, from, value]) => `${(name as string).padEnd(nameWidth)}  ${(from as string).padEnd(fromWidth)}  ${value}`).join('\n');
}

function shown(v: ConfigVariable): string {
  const value = text(v.value);
  return v.file === undefined ? value : say('config.file', { value, file: v.file });
}

function text(value: ConfigValue | undefined): string {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return say('config.none');
  return Array.isArray(value) ? value.join(', ') : String(value);
}
