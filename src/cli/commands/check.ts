import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CharterError, formatDiagnostic } from '../../charter/errors.js';
import { compileFamily } from '../../charter/compile.js';
import { familyDirs, loadSharedConditions, readFamilySource, SHARED_CONDITIONS_FILE } from '../../charter/load.js';
import { loadConfig } from '../../config/config.js';
import { EXIT, err, out, type Command } from '../command.js';
import { language, say } from '../messages.js';

export const check: Command = {
  name: 'check',
  summary: 'compile family charters and report every problem',
  usage: `autolist check [FAMILY_DIR...]

Compiles each family folder (default: every family under AUTOLIST_FAMILIES_DIR) with its
lexicons and the shared conditions (conditions.charter beside the folder, else
AUTOLIST_FAMILIES_DIR's), and checks its examples. Problems are printed as
file:line:column: message. Exit 0 when all compile, 1 otherwise.`,
  options: {},
  async run(_values, positionals) {
    const started = performance.now();
    const { familiesDir } = loadConfig();
    const dirs = positionals.length > 0 ? positionals.map((p) => resolve(p)) : familyDirs(familiesDir);
    let failed = 0;
    for (const dir of dirs) {
      try {
        const beside = existsSync(join(dirname(dir), SHARED_CONDITIONS_FILE)) ? dirname(dir) : familiesDir;
        const family = compileFamily(readFamilySource(dir), loadSharedConditions(beside));
        const refusals = family.examples.filter((e) => e.filter === undefined).length;
        const examples = family.examples.length - refusals;
        const { name, file, domains } = family.header;
        out(say('check.ok', { family: name, file, rules: family.rules.length, domains: domains.join(', '), examples, refusals, total: examples + refusals }));
      } catch (error) {
        if (!(error instanceof CharterError)) throw error;
        failed++;
        err(say('check.failed', { dir }));
        for (const d of error.diagnostics) err(`  ${formatDiagnostic(d, language)}`);
      }
    }
    out(say('check.summary', { compiled: dirs.length - failed, total: dirs.length, ms: String(Math.round(performance.now() - started)) }));
    return failed === 0 ? EXIT.ok : EXIT.input;
  },
};
