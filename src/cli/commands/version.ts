import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config/config.js';
import { EXIT, UsageError, out, type Command } from '../command.js';

/** The version in the project's package.json, read when asked (the one installed, not the one built against). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export const version: Command = {
  name: 'version',
  summary: "print autolist's version (also autolist --version)",
  usage: `autolist version

Prints the version of autolist (its package.json's), and nothing else.`,
  options: {},
  async run(_values, positionals) {
    if (positionals.length > 0) throw new UsageError('version takes no arguments');
    out(packageVersion());
    return EXIT.ok;
  },
};
