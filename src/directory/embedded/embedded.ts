import { readFile } from 'node:fs/promises';
import type { Directory, Entry, SearchRequest } from '../directory.js';
import { DirectoryDataError, DirectoryNoSuchBaseError } from '../errors.js';
import { isWithin, normalizeDN, parentOf } from './dn.js';
import { type Compiled, compile, PreparedEntry, test, TRUE } from './evaluate.js';
import { readLdif } from './ldif.js';
import { attributeDescription, attributeType } from './schema.js';
import { EqualityIndex } from './index-equality.js';

interface Stored {
  prepared: PreparedEntry;
  /** Normalised DN and the normalised DN of its parent. */
  ndn: string;
  parent: string;
}

/**
 * A directory held in memory, loaded from an LDIF file: the product's default (the demo directory)
 * and the tests' stand-in for LDAP. Searches give slapd's answers on the same data: same schema
 * matching rules, same three-valued filter logic, same scopes.
 */
export class EmbeddedDirectory implements Directory {
  readonly kind = 'embedded';
  private readonly entries: Stored[] = [];
  private readonly byDN = new Map<string, Stored>();
  private readonly prepared: PreparedEntry[] = [];
  private readonly index = new EqualityIndex(this.prepared);

  private constructor() {}

  /** Loads an LDIF file; a malformed file throws a DirectoryDataError naming the line. */
  static async load(file: string): Promise<EmbeddedDirectory> {
    let text: Buffer;
    try {
      text = await readFile(file);
    } catch (error) {
      throw new DirectoryDataError(file, undefined, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
    }
    return EmbeddedDirectory.fromLdif(text, file);
  }

  static fromLdif(text: string | Buffer, file = 'LDIF'): EmbeddedDirectory {
    const directory = new EmbeddedDirectory();
    const keys = new Map<string, string>();
    for (const record of readLdif(text, file)) {
      const ndn = normalizeDN(record.dn);
      if (ndn === undefined || ndn === '') throw new DirectoryDataError(file, record.line, `invalid DN ${JSON.stringify(record.dn)}`);
      if (directory.byDN.has(ndn)) throw new DirectoryDataError(file, record.line, `duplicate entry ${JSON.stringify(record.dn)}`);
      const attributes: Record<string, string[]> = {};
      for (const [name, value] of record.attributes) {
        let key = keys.get(name);
        if (key === undefined) keys.set(name, (key = attributeKey(name)));
        // Exact-size arrays: one grown by push() keeps room for 17 values, and there are millions.
        const values = attributes[key];
        attributes[key] = values ? [...values, value] : [value];
      }
      if (!attributes.objectclass) throw new DirectoryDataError(file, record.line, `entry ${JSON.stringify(record.dn)} has no objectClass`);
      const stored: Stored = { prepared: new PreparedEntry({ dn: record.dn, attributes }), ndn, parent: parentOf(ndn) };
      directory.prepared.push(stored.prepared);
      directory.entries.push(stored);
      directory.byDN.set(ndn, stored);
    }
    return directory;
  }

  get size(): number {
    return this.entries.length;
  }

  async *search(request: SearchRequest): AsyncGenerator<Entry> {
    const base = normalizeDN(request.base);
    if (base === undefined || (base !== '' && !this.byDN.has(base))) {
      throw new DirectoryNoSuchBaseError(`no such search base: ${request.base}`);
    }
    const compiled = compile(request.filter);
    const select = attributeSelector(request.attributes);
    for (const stored of this.candidates(compiled, request.scope, base)) {
      if (!inScope(stored, request.scope, base)) continue;
      if (test(compiled, stored.prepared) === TRUE) yield select(stored.prepared.entry);
    }
  }

  async health(): Promise<void> {}

  async close(): Promise<void> {}

  /** The entries worth testing: an equality index narrows AND and equality filters. */
  private *candidates(compiled: Compiled, scope: SearchRequest['scope'], base: string): Iterable<Stored> {
    if (scope === 'base') {
      const entry = this.byDN.get(base);
      if (entry) yield entry;
      return;
    }
    const ids = this.index.candidates(compiled);
    if (!ids) {
      yield* this.entries;
      return;
    }
    for (const id of ids) yield this.entries[id] as Stored;
  }
}

/** An attribute as entries hold it: by the schema's first name (commonName -> cn), options kept, all lower-cased. */
function attributeKey(name: string): string {
  const [type = '', ...options] = name.toLowerCase().split(';');
  return [attributeType(type)?.key ?? type, ...options].join(';');
}

function inScope(stored: Stored, scope: SearchRequest['scope'], base: string): boolean {
  switch (scope) {
    case 'base':
      return stored.ndn === base;
    case 'one':
      return stored.parent === base;
    case 'sub':
      return isWithin(stored.ndn, base);
  }
}

/**
 * The attributes a search returns: all user attributes for none or `*`; `1.1` for none; otherwise
 * those named, a type naming its subtypes too (`name` returns cn, sn, ...).
 */
function attributeSelector(requested: string[]): (entry: Entry) => Entry {
  if (requested.length === 0 || requested.includes('*')) return (entry) => entry;
  const wanted = requested.filter((name) => name !== '1.1' && name !== '+');
  const keys = new Set<string>();
  for (const name of wanted) {
    const description = attributeDescription(name);
    if (description) for (const key of description.type.subtypes) keys.add(key);
    else keys.add(name.toLowerCase());
  }
  return (entry) => {
    const attributes: Record<string, string[]> = {};
    for (const name in entry.attributes) {
      const semi = name.indexOf(';');
      if (keys.has(semi < 0 ? name : name.slice(0, semi))) attributes[name] = entry.attributes[name] as string[];
    }
    return { dn: entry.dn, attributes };
  };
}
