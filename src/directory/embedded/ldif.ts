import { DirectoryDataError } from '../errors.js';

/** One LDIF content record: its DN, attribute lines in order, and the line where it starts (1-based). */
export interface LdifRecord {
  dn: string;
  line: number;
  attributes: [name: string, value: string][];
}

const DESCRIPTION = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)(?:;[A-Za-z0-9-]+)*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// ignoreBOM keeps a U+FEFF that begins a value: by default the decoder drops it, and the value with it changed.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** A byte order mark at the start of a file (as some Windows editors write), as the file's bytes read in latin1 and as text. */
const FILE_BOM = { bytes: '\xEF\xBB\xBF', text: '\uFEFF' };
const HIGH_BYTE = /[\x80-\xff]/;

/**
 * Parses LDIF content records (RFC 2849): comments, folded lines, `::` base64 values (decoded as
 * UTF-8; a value that is not UTF-8 is kept in base64), several values per attribute. A record may
 * hold its DN alone, as ldapsearch prints an entry none of whose requested attributes it has.
 * Change records and `:<` URL values are refused. Every error names the line.
 *
 * Given the file's bytes, lines are unfolded before they are decoded, as slapadd does: a fold may
 * fall inside a UTF-8 character.
 */
export function parseLdif(input: string | Buffer, file = 'LDIF'): LdifRecord[] {
  return [...readLdif(input, file)];
}

/** parseLdif one record at a time, so that a large file is never held as records all at once. */
export function* readLdif(input: string | Buffer, file = 'LDIF'): Generator<LdifRecord> {
  const bytes = typeof input !== 'string';
  const read = bytes ? input.toString('latin1') : input;
  const bom = bytes ? FILE_BOM.bytes : FILE_BOM.text;
  const text = read.startsWith(bom) ? read.slice(bom.length) : read;
  let current: LdifRecord | undefined;
  let records = 0;
  // Logical lines (folds joined) with the number of their first physical line.
  let logical: string | undefined;
  let logicalLine = 0;
  let inComment = false;
  // Attribute descriptions already checked: a file repeats a few dozen.
  const descriptions = new Set<string>();

  const fail = (reason: string, line: number): never => {
    throw new DirectoryDataError(file, line, reason);
  };
  const decodeUtf8 = (latin1: string, line: number): string => {
    try {
      return UTF8.decode(Buffer.from(latin1, 'latin1'));
    } catch {
      return fail('a value is not UTF-8: write it in base64 ("attribute:: ...")', line);
    }
  };

  const flush = (): void => {
    if (logical === undefined) return;
    const line = logicalLine;
    const content = bytes && HIGH_BYTE.test(logical) ? decodeUtf8(logical, line) : logical;
    logical = undefined;
    const colon = content.indexOf(':');
    if (colon <= 0) fail(`expected "attribute: value", found ${JSON.stringify(content.slice(0, 40))}`, line);
    const name = content.slice(0, colon);
    let value: string;
    if (content[colon + 1] === ':') {
      const encoded = content.slice(colon + 2).trim();
      if (!BASE64.test(encoded) || encoded.length % 4 !== 0) fail(`invalid base64 value of "${name}"`, line);
      try {
        value = UTF8.decode(Buffer.from(encoded, 'base64'));
      } catch {
        value = encoded;
      }
    } else if (content[colon + 1] === '<') {
      return fail(`URL values (":<") are not supported ("${name}")`, line);
    } else {
      value = content.slice(colon + 1).replace(/^ +/, '');
    }
    if (!current) {
      if (/^version$/i.test(name) && records === 0) {
        if (value !== '1') fail(`unsupported LDIF version ${JSON.stringify(value)}`, line);
        return;
      }
      if (!/^dn$/i.test(name)) fail(`a record must start with "dn:", found "${name}:"`, line);
      current = { dn: value, line, attributes: [] };
      return;
    }
    if (!descriptions.has(name)) {
      if (/^changetype$/i.test(name)) fail('change records are not supported: the file must hold entries only', line);
      if (!DESCRIPTION.test(name)) fail(`invalid attribute description "${name}"`, line);
      descriptions.add(name);
    }
    current.attributes.push([name, value]);
  };

  /** The record just ended, if any. */
  const endRecord = (): LdifRecord | undefined => {
    flush();
    const record = current;
    current = undefined;
    if (record) records++;
    return record;
  };

  let start = 0;
  for (let number = 1; start <= text.length; number++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
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
      const record = endRecord();
      if (record) yield record;
      continue;
    }
    flush();
    logical = raw;
    logicalLine = number;
  }
  const record = endRecord();
  if (record) yield record;
}
