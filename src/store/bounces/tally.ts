import { LRUCache } from 'lru-cache';

/** One bounce: a member address a list's mail could not reach. */
export interface BounceEvent {
  /** ISO 8601 time. */
  at: string;
  list: string;
  address: string;
  /** RFC 3463 status (5.1.1). */
  status: string;
  diagnostic?: string;
  /** Reported by a delivery status notification, or refused by the relay itself. */
  source: 'dsn' | 'relay';
  /** Bounces this line stands for (a compacted record); 1 when absent. */
  count?: number;
}

/** What is known of one address that bounced. */
export interface BouncedAddress {
  address: string;
  count: number;
  /** The lists whose mail bounced, most recent last (at most MAX_LISTS). */
  lists: string[];
  firstAt: string;
  lastAt: string;
  lastStatus: string;
  lastDiagnostic?: string;
}

export interface BounceQuery {
  /** Only bounces of this list. */
  list?: string;
  limit: number;
}

/** Addresses a record holds in memory; the least recently bounced are forgotten past it. */
export const MAX_ADDRESSES = 100_000;

const MAX_LISTS = 20;
const MAX_DIAGNOSTIC = 300;

/** Bounces counted by address, most bounced first; bounded (the addresses least recently bounced go first). */
export class BounceTally {
  private readonly addresses: LRUCache<string, BouncedAddress>;

  constructor(maxAddresses: number) {
    this.addresses = new LRUCache({ max: maxAddresses });
  }

  get size(): number {
    return this.addresses.size;
  }

  add(event: BounceEvent): void {
    const address = event.address.toLowerCase();
    const known = this.addresses.get(address);
    const entry: BouncedAddress = known ?? { address, count: 0, lists: [], firstAt: event.at, lastAt: event.at, lastStatus: event.status };
    entry.count += event.count ?? 1;
    entry.lists = [...entry.lists.filter((l) => l !== event.list), event.list].slice(-MAX_LISTS);
    if (event.at < entry.firstAt) entry.firstAt = event.at;
    if (event.at >= entry.lastAt) {
      entry.lastAt = event.at;
      entry.lastStatus = event.status;
      if (event.diagnostic) entry.lastDiagnostic = event.diagnostic.slice(0, MAX_DIAGNOSTIC);
    }
    this.addresses.set(address, entry);
  }

  query(query: BounceQuery): { total: number; addresses: BouncedAddress[] } {
    const matching = [...this.addresses.values()].filter((a) => query.list === undefined || a.lists.includes(query.list));
    matching.sort((a, b) => b.count - a.count || (a.lastAt < b.lastAt ? 1 : -1));
    return { total: matching.length, addresses: matching.slice(0, query.limit) };
  }

  /** One line per address, standing for all its bounces (the last list and status). */
  *compacted(): Generator<BounceEvent> {
    for (const a of this.addresses.values()) {
      const event: BounceEvent = { at: a.lastAt, list: a.lists[a.lists.length - 1] ?? '', address: a.address, status: a.lastStatus, source: 'dsn', count: a.count };
      if (a.lastDiagnostic) event.diagnostic = a.lastDiagnostic;
      yield event;
    }
  }
}

/** A bounce as stored (a JSON line of the file, an entry of the stream); undefined for what does not parse (a line cut short by a crash). */
export function parseBounce(text: string): BounceEvent | undefined {
  try {
    const event = JSON.parse(text) as BounceEvent;
    return typeof event.address === 'string' && typeof event.list === 'string' && typeof event.at === 'string' ? event : undefined;
  } catch {
    return undefined;
  }
}
