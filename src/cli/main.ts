#!/usr/bin/env node
import { AutolistError } from '../errors.js';
import { EXIT, UsageError, err, out, parseCommandArgs, type Command } from './command.js';
import { errorText, say } from './messages.js';
import { bounces } from './commands/bounces.js';
import { check } from './commands/check.js';
import { config } from './commands/config.js';
import { approve, reject } from './commands/decide.js';
import { enumerate } from './commands/enumerate.js';
import { examples } from './commands/examples.js';
import { exportCommand } from './commands/export.js';
import { held } from './commands/held.js';
import { members } from './commands/members.js';
import { overrides } from './commands/overrides.js';
import { resolve } from './commands/resolve.js';
import { rights } from './commands/rights.js';
import { serve } from './commands/serve.js';
import { version } from './commands/version.js';

const COMMANDS: Command[] = [check, resolve, rights, members, overrides, held, approve, reject, enumerate, exportCommand, examples, bounces, serve, config, version];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `autolist: mailing lists made from their names

usage: autolist COMMAND [OPTIONS]    (autolist COMMAND --help for each)
       autolist --version

${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Exit codes: 0 done; 1 bad input (address, charter); 2 bad command line; 3 already decided
(autolist approve, reject); 75 a dependency is down; 77 denied (autolist rights).`;
}

async function main(argv: string[]): Promise<number> {
  const [given, ...rest] = argv;
  const name = given === '--version' || given === '-V' ? version.name : given;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    err(`autolist: ${say('usage.unknown-command', { name })}\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    const { values, positionals, help } = parseCommandArgs(command, rest);
    if (help) {
      out(command.usage);
      return EXIT.ok;
    }
    return await command.run(values, positionals);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`autolist ${command.name}: ${error.message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    if (error instanceof AutolistError) {
      err(`autolist ${command.name}: ${errorText(error)}`);
      return error.temporary ? EXIT.temporary : EXIT.input;
    }
    throw error;
  }
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
