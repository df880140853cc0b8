import { compileFamily } from '../../src/charter/compile.js';
import { CharterError } from '../../src/charter/errors.js';
import type { Family } from '../../src/charter/family.js';

/** Compiles a charter written in a test; lexicons by name. */
export function family(text: string, lexicons: Record<string, string> = {}, name = 'demo'): Family {
  return compileFamily({
    name,
    file: `${name}.charter`,
    text,
    lexicons: Object.entries(lexicons).map(([n, t]) => ({ name: n, file: `${n}.tsv`, text: t })),
  });
}

/** The diagnostics of a charter that must not compile, as "line:col: message" lines. */
export function problems(text: string, lexicons: Record<string, string> = {}): string[] {
  try {
    family(text, lexicons);
  } catch (error) {
    if (error instanceof CharterError) return error.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);
    throw error;
  }
  throw new Error('the charter compiled');
}

export const HEADER = `family demo
domain lists.example.org
base "dc=example,dc=org"
`;
