import { LRUCache } from 'lru-cache';
import type { AutolistError } from '../errors.js';
import type { Logger } from '../log.js';
import { describeFailure } from './compile.js';
import { AddressInvalidError, AddressTooComplexError, AddressTooLongError, AmbiguousListError, NoSuchListError, UnknownDomainError } from './errors.js';
import type { Family, ParseFailure, ParseOutcome } from './family.js';
import type { ListDefinition } from './list.js';
import { derivationOf } from './semantics.js';
import { suggestNames } from './suggest.js';

/** RFC 5321's limit on a forward path, in octets. */
export const MAX_ADDRESS_OCTETS = 254;
/** At most one "too complex" warning a minute per family. */
const TOO_COMPLEX_WARNING_INTERVAL_MS = 60_000;

/** RFC 5321's limit on a local part, in octets: the default of AUTOLIST_LOCAL_PART_MAX. */
export const DEFAULT_LOCAL_PART_MAX = 64;

export interface ResolverOptions {
  /** How many resolutions (good and bad) to keep; default 10,000; 0 keeps none. */
  cacheEntries?: number;
  /** Longest local part read, in octets (AUTOLIST_LOCAL_PART_MAX); longer ones are refused unread. Default 64. */
  localPartMax?: number;
  /** Earley states one family's parse may create; default: each family's own (Family.parseBudget). */
  parseBudget?: number;
  /** Where refusals of hostile addresses (too long, too complex) are reported as warnings. */
  logger?: Logger;
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
  /** When each family last warned of a name too complex, and how many warnings were left out since. */
  private readonly complexWarnings = new Map<string, { at: number; omitted: number }>();
  /** Longest local part read, in octets; enumeration lists no longer name. */
  readonly localPartMax: number;
  private readonly parseBudget: number | undefined;
  private readonly logger: Logger | undefined;

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
    this.localPartMax = options.localPartMax ?? DEFAULT_LOCAL_PART_MAX;
    this.parseBudget = options.parseBudget;
    this.logger = options.logger;
  }

  family(name: string): Family | undefined {
    return this.families.find((f) => f.name === name);
  }

  domains(): string[] {
    return [...this.byDomain.keys()];
  }

  /**
   * The list an address names; throws AddressInvalidError, AddressTooLongError, UnknownDomainError,
   * NoSuchListError, AmbiguousListError or AddressTooComplexError.
   */
  resolve(address: string): ListDefinition {
    const key = address.trim().toLowerCase();
    // Lengths are checked before the cache, so that its keys stay short: an over-long address costs
    // nothing to refuse again and takes no room.
    this.checkLength(key);
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

  private checkLength(key: string): void {
    const address = unbracketed(key);
    if (address.length > MAX_ADDRESS_OCTETS || Buffer.byteLength(address, 'utf8') > MAX_ADDRESS_OCTETS) {
      throw new AddressInvalidError(`the address is longer than ${MAX_ADDRESS_OCTETS} octets`);
    }
    const at = address.lastIndexOf('@');
    const octets = Buffer.byteLength(address.slice(0, Math.max(at, 0)), 'utf8');
    if (octets > this.localPartMax) {
      const error = new AddressTooLongError(octets, this.localPartMax);
      // The client's mistake (or a probe), like any name that is no list: not worth a warning each.
      this.logger?.debug({ code: error.code, octets, domain: printable(address.slice(at + 1)) }, 'address refused: local part too long');
      throw error;
    }
  }

  private resolveUncached(key: string): ListDefinition {
    const address = unbracketed(key);
    const at = address.lastIndexOf('@');
    if (at <= 0 || at === address.length - 1) throw new AddressInvalidError(`"${printable(address)}" is not an address of the form name@domain`);
    const local = address.slice(0, at);
    const domain = address.slice(at + 1).replace(/\.$/, '');
    const families = this.byDomain.get(domain);
    if (!families) throw new UnknownDomainError(printable(domain), this.domains());

    const found: Array<{ family: Family; list: ListDefinition }> = [];
    const failures: Array<{ family: Family; failure: ParseFailure }> = [];
    for (const family of families) {
      let outcome = this.parse(family, local);
      // Another order of a name's words names the same list: it is defined by its canonical name.
      if (outcome.ok && outcome.canonical !== local) outcome = this.parse(family, outcome.canonical);
      if (outcome.ok) {
        const name = outcome.canonical;
        const lists = outcome.derivations.map((root) => family.define(root, name, domain));
        if (new Set(lists.map((l) => l.filterText)).size > 1) {
          const [a, b] = outcome.derivations.map(derivationOf);
          throw new AmbiguousListError(`${address} can be read two ways in the family ${family.name}: ${a} and ${b}`);
        }
        found.push({ family, list: lists[0] as ListDefinition });
      } else failures.push({ family, failure: outcome.failure });
    }
    if (found.length > 1) {
      throw new AmbiguousListError(`${address} is a name in several families: ${found.map((f) => f.family.name).join(', ')}`);
    }
    if (found[0]) return found[0].list;
    // Every family whose reading went furthest says what it expected there.
    const column = Math.max(...failures.map((f) => f.failure.column));
    const furthest = failures.filter((f) => f.failure.column === column);
    return this.noSuchList(`${printable(local)}@${domain}`, furthest, local, domain);
  }

  /** A family's parse within the budget; past it, a warning naming the family and AddressTooComplexError. */
  private parse(family: Family, local: string): ParseOutcome {
    try {
      return family.parse(local, this.parseBudget);
    } catch (error) {
      if (error instanceof AddressTooComplexError) this.warnTooComplex(family, error, local);
      throw error;
    }
  }

  /**
   * The family's charter reads some names in too many ways: worth a warning, but at most one a
   * minute per family (with the count of those left out), so that a flood of such names does not
   * flood the log.
   */
  private warnTooComplex(family: Family, error: AddressTooComplexError, local: string): void {
    const now = Date.now();
    const last = this.complexWarnings.get(family.name);
    if (last !== undefined && now - last.at < TOO_COMPLEX_WARNING_INTERVAL_MS) {
      last.omitted++;
      return;
    }
    this.complexWarnings.set(family.name, { at: now, omitted: 0 });
    const omitted = last?.omitted ?? 0;
    this.logger?.warn({ code: error.code, family: family.name, budget: error.budget, local: printable(local), omitted }, 'address refused: too complex for the family grammar');
  }

  private noSuchList(address: string, furthest: Array<{ family: Family; failure: ParseFailure }>, local: string, domain: string): never {
    const { family, failure } = furthest[0] as { family: Family; failure: ParseFailure };
    const suggest = (): string[] => {
      // A name refused for its order has one suggestion: the same list's name.
      if (failure.canonical !== undefined) return [`${failure.canonical}@${domain}`];
      // Each family's closest names in turn, so that one family does not fill every place.
      const byFamily = (this.byDomain.get(domain) ?? [family]).map((f) => {
        // Every family of the domain read the name within the budget before this error was made.
        const outcome = f.parse(local, this.parseBudget);
        return suggestNames(f, local, outcome.ok ? failure.column : outcome.failure.column);
      });
      const names = new Set<string>();
      for (let i = 0; byFamily.some((list) => i < list.length); i++) for (const list of byFamily) if (list[i] !== undefined) names.add(`${list[i]}@${domain}`);
      return [...names].slice(0, 3);
    };
    const reason = furthest.map((f) => `${describeFailure(local, f.failure)} (family ${f.family.name})`).join('; ');
    const expected = [...new Set(furthest.flatMap((f) => f.failure.expected))];
    const readings = furthest.map((f) => ({ family: f.family.name, failure: f.failure }));
    throw new NoSuchListError(address, reason, failure.column, expected, suggest, { family: family.name, local, failure, ...(readings.length > 1 ? { readings } : {}) });
  }
}

function unbracketed(key: string): string {
  return key.startsWith('<') && key.endsWith('>') ? key.slice(1, -1) : key;
}

/** Text from an address made safe to print in a message: control characters and quotes escaped, length capped. */
function printable(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text).slice(1, -1);
}
