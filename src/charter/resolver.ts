import { LRUCache } from 'lru-cache';
import type { AutolistError } from '../errors.js';
import { describeFailure } from './compile.js';
import { AddressInvalidError, AmbiguousListError, NoSuchListError, UnknownDomainError } from './errors.js';
import type { Family, ParseFailure } from './family.js';
import type { ListDefinition } from './list.js';
import { derivationOf } from './semantics.js';
import { suggestNames } from './suggest.js';

/** RFC 5321's limit on a forward path, in octets. */
const MAX_ADDRESS_OCTETS = 254;

export interface ResolverOptions {
  /** How many resolutions (good and bad) to keep; default 10,000; 0 keeps none. */
  cacheEntries?: number;
}

/**
 * Turns any address into its list definition, or into a typed error that says why not.
 * Pure and synchronous; results, good and bad, are cached by the address as given (trimmed, lower case).
 * Returned definitions are shared: treat them as read-only.
 */
export class Resolver {
  readonly families: readonly Family[];
  private readonly byDomain = new Map<string, Family[]>();
  private readonly cache: LRUCache<string, ListDefinition | AutolistError> | undefined;

  constructor(families: readonly Family[], options: ResolverOptions = {}) {
    this.families = families;
    for (const family of families) {
      for (const domain of family.header.domains) {
        const list = this.byDomain.get(domain) ?? [];
        list.push(family);
        this.byDomain.set(domain, list);
      }
    }
    const entries = options.cacheEntries ?? 10_000;
    this.cache = entries > 0 ? new LRUCache({ max: entries }) : undefined;
  }

  family(name: string): Family | undefined {
    return this.families.find((f) => f.name === name);
  }

  domains(): string[] {
    return [...this.byDomain.keys()];
  }

  /** The list an address names; throws AddressInvalidError, UnknownDomainError, NoSuchListError or AmbiguousListError. */
  resolve(address: string): ListDefinition {
    const key = address.trim().toLowerCase();
    let result = this.cache?.get(key);
    if (result === undefined) {
      try {
        result = this.resolveUncached(key);
      } catch (error) {
        result = error as AutolistError;
      }
      this.cache?.set(key, result);
    }
    if (result instanceof Error) throw result;
    return result;
  }

  /** Forgets every cached resolution (after families are reloaded, say). */
  clearCache(): void {
    this.cache?.clear();
  }

  private resolveUncached(key: string): ListDefinition {
    const address = key.startsWith('<') && key.endsWith('>') ? key.slice(1, -1) : key;
    if (Buffer.byteLength(address, 'utf8') > MAX_ADDRESS_OCTETS) {
      throw new AddressInvalidError(`the address is longer than ${MAX_ADDRESS_OCTETS} octets`);
    }
    const at = address.lastIndexOf('@');
    if (at <= 0 || at === address.length - 1) throw new AddressInvalidError(`"${printable(address)}" is not an address of the form name@domain`);
    const local = address.slice(0, at);
    const domain = address.slice(at + 1).replace(/\.$/, '');
    const families = this.byDomain.get(domain);
    if (!families) throw new UnknownDomainError(printable(domain));

    const found: Array<{ family: Family; list: ListDefinition }> = [];
    let furthest: { family: Family; failure: ParseFailure } | undefined;
    for (const family of families) {
      const outcome = family.parse(local);
      if (outcome.ok) {
        const lists = outcome.derivations.map((root) => family.define(root, local, domain));
        if (new Set(lists.map((l) => l.filterText)).size > 1) {
          const [a, b] = outcome.derivations.map(derivationOf);
          throw new AmbiguousListError(`${address} can be read two ways in the family ${family.name}: ${a} and ${b}`);
        }
        found.push({ family, list: lists[0] as ListDefinition });
      } else if (!furthest || outcome.failure.column > furthest.failure.column) {
        furthest = { family, failure: outcome.failure };
      }
    }
    if (found.length > 1) {
      throw new AmbiguousListError(`${address} is a name in several families: ${found.map((f) => f.family.name).join(', ')}`);
    }
    if (found[0]) return found[0].list;
    const { family, failure } = furthest as { family: Family; failure: ParseFailure };
    return this.noSuchList(`${printable(local)}@${domain}`, family, describeFailure(local, failure), failure, local, domain);
  }

  private noSuchList(address: string, family: Family, reason: string, failure: ParseFailure, local: string, domain: string): never {
    const suggest = (): string[] => {
      const names = new Set<string>();
      for (const f of this.byDomain.get(domain) ?? [family]) {
        const outcome = f.parse(local);
        const column = outcome.ok ? failure.column : outcome.failure.column;
        for (const name of suggestNames(f, local, column)) names.add(`${name}@${domain}`);
      }
      return [...names].slice(0, 3);
    };
    throw new NoSuchListError(address, `${reason} (family ${family.name})`, failure.column, failure.expected, suggest);
  }
}

/** Text from an address made safe to print in a message: control characters and quotes escaped, length capped. */
function printable(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text).slice(1, -1);
}
