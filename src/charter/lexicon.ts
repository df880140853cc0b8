import { type Diagnostic, diagnostic } from './errors.js';

/** One row of a lexicon table: a token of the address, its filter fragment, its label, other columns. */
export interface LexiconEntry {
  token: string;
  /** Filter fragment text; empty means "no restriction". */
  filter: string;
  label: string;
  columns: Record<string, string>;
  line: number;
}

export interface Lexicon {
  name: string;
  file: string;
  columns: string[];
  entries: LexiconEntry[];
}

const REQUIRED = ['token', 'filter', 'label'];

/**
 * Reads a lexicon table: tab-separated, a header line naming the columns (token, filter, label,
 * then any others), one entry a line; blank lines and lines starting with # are skipped.
 * Problems are returned as diagnostics, not thrown, so a charter check reports them all.
 */
export function parseLexicon(name: string, file: string, text: string): { lexicon: Lexicon; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const lexicon: Lexicon = { name, file, columns: [], entries: [] };
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const cells = raw.split('\t').map((c) => c.trim());
    if (lexicon.columns.length === 0) {
      lexicon.columns = cells.map((c) => c.toLowerCase());
      const missing = REQUIRED.filter((c) => !lexicon.columns.includes(c));
      if (missing.length > 0) {
        problems.push(diagnostic(file, { line, col: 1 }, { key: 'lexicon.columns', values: { required: REQUIRED, missing } }));
      }
      return;
    }
    if (cells.length !== lexicon.columns.length) {
      problems.push(diagnostic(file, { line, col: 1 }, { key: 'lexicon.cells', values: { count: lexicon.columns.length, columns: lexicon.columns, found: cells.length } }));
      return;
    }
    const columns = Object.fromEntries(lexicon.columns.map((c, i) => [c, cells[i] ?? '']));
    const token = (columns.token ?? '').toLowerCase();
    if (token === '') {
      problems.push(diagnostic(file, { line, col: 1 }, { key: 'lexicon.empty-token' }));
      return;
    }
    const previous = seen.get(token);
    if (previous !== undefined) {
      problems.push(diagnostic(file, { line, col: 1 }, { key: 'lexicon.repeated-token', values: { token, line: previous } }));
      return;
    }
    seen.set(token, line);
    lexicon.entries.push({ token, filter: columns.filter ?? '', label: columns.label ?? '', columns, line });
  });
  if (lexicon.columns.length === 0) problems.push(diagnostic(file, { line: 1, col: 1 }, { key: 'lexicon.empty' }));
  else if (lexicon.entries.length === 0 && problems.length === 0) problems.push(diagnostic(file, { line: 1, col: 1 }, { key: 'lexicon.no-entries' }));
  return { lexicon, problems };
}
