import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileFamily, compileSharedConditions, type CharterSource, type FamilyOverrides } from './compile.js';
import type { NamedConditions } from './compile-rights.js';
import { CharterError } from './errors.js';
import type { Family } from './family.js';

/** The file beside the family folders that holds conditions shared by several families. */
export const SHARED_CONDITIONS_FILE = 'conditions.charter';

/** Reads a family folder: its one `.charter` file and its `.tsv` lexicons. */
export function readFamilySource(dir: string): CharterSource {
  const name = basename(dir);
  const files = readdirSync(dir);
  const charters = files.filter((f) => f.endsWith('.charter'));
  if (charters.length !== 1) {
    throw new CharterError([{ file: dir, line: 1, col: 1, message: `a family folder holds exactly one .charter file; found ${charters.length}` }]);
  }
  const file = join(dir, charters[0] as string);
  return {
    name,
    file,
    text: readFileSync(file, 'utf8'),
    lexicons: files.filter((f) => f.endsWith('.tsv')).map((f) => ({ name: f.slice(0, -'.tsv'.length), file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') })),
  };
}

/** The shared named conditions of a families folder (none if it has no conditions.charter). */
export function loadSharedConditions(familiesDir: string): NamedConditions {
  const file = join(familiesDir, SHARED_CONDITIONS_FILE);
  return existsSync(file) ? compileSharedConditions(file, readFileSync(file, 'utf8')) : new Map();
}

/** The family folders of a families folder, sorted by name. */
export function familyDirs(familiesDir: string): string[] {
  return readdirSync(familiesDir)
    .map((f) => join(familiesDir, f))
    .filter((p) => statSync(p).isDirectory())
    .sort();
}

/** Reads and compiles every family of a folder; throws one CharterError with every family's problems. */
export function loadFamilies(familiesDir: string, overrides: FamilyOverrides = {}): Family[] {
  const shared = loadSharedConditions(familiesDir);
  const families: Family[] = [];
  const problems: CharterError[] = [];
  for (const dir of familyDirs(familiesDir)) {
    try {
      families.push(compileFamily(readFamilySource(dir), shared, overrides));
    } catch (error) {
      if (error instanceof CharterError) problems.push(error);
      else throw error;
    }
  }
  if (problems.length > 0) throw new CharterError(problems.flatMap((p) => p.diagnostics));
  return families;
}
