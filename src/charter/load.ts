import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileFamily, compileSharedConditions, type CharterSource, type FamilyOverrides } from './compile.js';
import type { NamedConditions } from './compile-rights.js';
import { CharterError, diagnostic } from './errors.js';
import type { Family } from './family.js';

/** The file beside the family folders that holds conditions shared by several families. */
export const SHARED_CONDITIONS_FILE = 'conditions.charter';

/**
 * A family from its files by name (`NAME.charter` and `TABLE.tsv`), read from nowhere: the compiler's
 * source for a folder on disk and for a draft written in the studio alike. `dir` prefixes the file
 * names in diagnostics (a folder's path; none for a draft).
 */
export function familySource(name: string, files: Readonly<Record<string, string>>, dir?: string): CharterSource {
  const path = (file: string): string => (dir === undefined ? file : join(dir, file));
  const names = Object.keys(files).sort();
  const charters = names.filter((f) => f.endsWith('.charter'));
  if (charters.length !== 1) {
    throw new CharterError([diagnostic(dir ?? name, { line: 1, col: 1 }, { key: 'folder.charters', values: { count: charters.length } })]);
  }
  const charter = charters[0] as string;
  return {
    name,
    file: path(charter),
    text: files[charter] as string,
    lexicons: names.filter((f) => f.endsWith('.tsv')).map((f) => ({ name: f.slice(0, -'.tsv'.length), file: path(f), text: files[f] as string })),
  };
}

/**
 * A family folder's `.charter` and `.tsv` files by name, all from one folder: one renamed into
 * place meanwhile (a studio install) is read again, so that a charter never comes with the lexicons
 * of another version.
 */
export function readFamilyFiles(dir: string): Record<string, string> {
  for (;;) {
    const folder = statSync(dir).ino;
    const files: Record<string, string> = {};
    try {
      for (const f of readdirSync(dir)) if (f.endsWith('.charter') || f.endsWith('.tsv')) files[f] = readFileSync(join(dir, f), 'utf8');
    } catch (error) {
      // A file of the folder read first gone from the folder now in place: read that one.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || statSync(dir).ino === folder) throw error;
      continue;
    }
    if (statSync(dir).ino === folder) return files;
  }
}

/** Reads a family folder: its one `.charter` file and its `.tsv` lexicons. */
export function readFamilySource(dir: string): CharterSource {
  return familySource(basename(dir), readFamilyFiles(dir), dir);
}

/** The shared named conditions of a families folder (none if it has no conditions.charter). */
export function loadSharedConditions(familiesDir: string): NamedConditions {
  const file = join(familiesDir, SHARED_CONDITIONS_FILE);
  return existsSync(file) ? compileSharedConditions(file, readFileSync(file, 'utf8')) : new Map();
}

/** The family folders of a families folder, sorted by name; dot folders (the studio's `.history`, `.staging`) are none. */
export function familyDirs(familiesDir: string): string[] {
  return readdirSync(familiesDir)
    .filter((f) => !f.startsWith('.'))
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
