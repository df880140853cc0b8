import type { ExportedList } from './lists-with-members.js';

export interface CsvOptions {
  counts: boolean;
  /** A UTF-8 byte order mark first, by which Excel knows the file is UTF-8. */
  bom: boolean;
}

/**
 * The lists as CSV (RFC 4180): a header line `address,description` (`,members` with counts), CRLF
 * line ends, fields holding a quote, comma or line break quoted, quotes doubled.
 */
export function* csvOf(lists: Iterable<ExportedList>, options: CsvOptions): Generator<string> {
  const header = ['address', 'description', ...(options.counts ? ['members'] : [])];
  yield `${options.bom ? '\ufeff' : ''}${header.join(',')}\r\n`;
  for (const list of lists) {
    const fields = [list.address, list.description, ...(options.counts ? [String(list.members)] : [])];
    yield `${fields.map(field).join(',')}\r\n`;
  }
}

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
