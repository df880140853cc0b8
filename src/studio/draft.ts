import { compileFamily } from '../charter/compile.js';
import type { NamedConditions } from '../charter/compile-rights.js';
import { CharterError, type Diagnostic } from '../charter/errors.js';
import type { Family } from '../charter/family.js';
import { familySource } from '../charter/load.js';

/** A family as the studio holds it before it is installed: its charter and its lexicons, in memory. */
export interface Draft {
  /** The family's name, which is its folder's. */
  name: string;
  /** The text of NAME.charter. */
  charter: string;
  /** The text of each lexicon TABLE.tsv, by table name. */
  lexicons: Readonly<Record<string, string>>;
}

/** A draft's files by name, as its folder holds them once installed. */
export function draftFiles(draft: Draft): Record<string, string> {
  const files: Record<string, string> = { [`${draft.name}.charter`]: draft.charter };
  for (const [table, text] of Object.entries(draft.lexicons)) files[`${table}.tsv`] = text;
  return files;
}

/** The draft back from a folder's files (what `draftFiles` wrote). */
export function draftOf(name: string, files: Readonly<Record<string, string>>): Draft {
  const lexicons: Record<string, string> = {};
  let charter = '';
  for (const [file, text] of Object.entries(files)) {
    if (file.endsWith('.tsv')) lexicons[file.slice(0, -'.tsv'.length)] = text;
    else if (file.endsWith('.charter')) charter = text;
  }
  return { name, charter, lexicons };
}

/**
 * Compiles a draft as `autolist check` compiles a folder (the same compiler, examples and ambiguity
 * checks included), with the shared conditions of the families folder: the family, or every
 * diagnostic at file:line:col (files named `NAME.charter` and `TABLE.tsv`).
 */
export function compileDraft(draft: Draft, shared: NamedConditions): { family: Family; diagnostics: [] } | { family: undefined; diagnostics: Diagnostic[] } {
  try {
    return { family: compileFamily(familySource(draft.name, draftFiles(draft)), shared), diagnostics: [] };
  } catch (error) {
    if (error instanceof CharterError) return { family: undefined, diagnostics: error.diagnostics };
    throw error;
  }
}
