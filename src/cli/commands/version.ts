import { packageVersion } from '../../config/version.js';
import { EXIT, UsageError, out, type Command } from '../command.js';
import { say } from '../messages.js';

export const version: Command = {
  name: 'version',
  summary: "print autolist's version (also autolist --version)",
  usage: `autolist version

Prints the version of autolist (its package.json's), and nothing else.`,
  options: {},
  async run(_values, positionals) {
    if (positionals.length > 0) throw new UsageError(say('usage.no-arguments', { command: 'version' }));
    out(packageVersion());
    return EXIT.ok;
  },
};
