import { DirectoryDataError } from '../errors.js';

/** One LDIF content record: its DN, attribute lines in order, and the line where it starts (1-based). */
export interface LdifRecord {
  dn: string;
  line: number;
  attributes: [name: string, value: string][];
}

const DESCRIPTION = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)(?:;[A-Za-z0-9-]+)*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Parses LDIF content records (RFC 2849): comments, folded lines, `::` base64 values (decoded as
 * UTF-8; a value that is not UTF-8 is kept in base64), several values per attribute. Change records
 * and `:<` URL values are refused. Every error names the line.
 */
export function parseLdif(text: string, file = 'LDIF'): LdifRecord[] {
  const lines = text.split(/\r?\n/);
  const records: LdifRecord[] = [];
  let current: LdifRecord | undefined;
  // Logical lines (folds joined) with the number of their first physical line.
  let logical: string | undefined;
  let logicalLine = 0;
  let inComment = false;

  const fail = (reason: string, line: number): never => {
    throw new DirectoryDataError(file, line, reason);
  };

  const flush = (): void => {
    if (logical === undefined) return;
    const line = logicalLine;
    const content = logical;
    logical = undefined;
    const colon = content.indexOf(':');
    if (colon <= 0) fail(`expected "attribute: value", found ${JSON.stringify(content.slice(0, 40))}`, line);
    const name = content.slice(0, colon);
    let value: string;
    if (content[colon + 1] === ':') {
      const encoded = content.slice(colon + 2).trim();
      if (!BASE64.test(encoded) || encoded.length % 4 !== 0) fail(`invalid base64 value of "${name}"`, line);
      const bytes = Buffer.from(encoded, 'base64');
      try {
        value = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        value = encoded;
      }
    } else if (content[colon + 1] === '<') {
      return fail(`URL values (":<") are not supported ("${name}")`, line);
    } else {
      value = content.slice(colon + 1).replace(/^ +/, '');
    }
    if (!current) {
      if (/^version$/i.test(name) && records.length === 0) {
        if (value !== '1') fail(`unsupported LDIF version ${JSON.stringify(value)}`, line);
        return;
      }
      if (!/^dn$/i.test(name)) fail(`a record must start with "dn:", found "${name}:"`, line);
      current = { dn: value, line, attributes: [] };
      return;
    }
    if (/^changetype$/i.test(name)) fail('change records are not supported: the file must hold entries only', line);
    if (!DESCRIPTION.test(name)) fail(`invalid attribute description "${name}"`, line);
    current.attributes.push([name, value]);
  };

  const endRecord = (line: number): void => {
    flush();
    if (!current) return;
    if (current.attributes.length === 0) fail(`entry "${current.dn}" has no attributes`, line);
    records.push(current);
    current = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const number = i + 1;
    if (raw.startsWith(' ')) {
      // A folded line continues the previous one (or the previous comment).
      if (inComment) continue;
      if (logical === undefined) fail('a continuation line (starting with a space) follows nothing', number);
      logical += raw.slice(1);
      continue;
    }
    inComment = raw.startsWith('#');
    if (inComment) continue;
    if (raw === '') {
      endRecord(number);
      continue;
    }
    flush();
    logical = raw;
    logicalLine = number;
  }
  endRecord(lines.length);
  return records;
}
