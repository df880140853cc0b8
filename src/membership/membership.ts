import { AndFilter } from 'ldapts';
import { normaliseSender } from '../address/sender-address.js';
import type { DirectorySettings, ListDefinition } from '../charter/list.js';
import type { Entry, SearchRequest } from '../directory/directory.js';
import type { DirectorySearchKind } from '../metrics/recorders.js';
import { checkPageLimit, cursorScope, decodeCursor, encodeCursor } from './cursor.js';
import { searchDirectory } from './directory-search.js';
import { addressesOf, collectMembers, type Expansion } from './member-addresses.js';
import { checkOptions, DEFAULT_MAX_SENDERS_HELD, ttlSecondsOf, type MembershipOptions } from './options.js';
import { RefreshingCache, type CacheRequest, type Served } from './refreshing-cache.js';
import type { Aged, SenderDirectory } from './sender-directory.js';
import { senderFilter } from './sender-filter.js';
import { includesSorted, indexAfter } from './sorted.js';
import { zeroCounters, type MembershipStats } from './stats.js';

/** A list's members as of one expansion. */
export interface MemberSet {
  /**
   * Distinct addresses (compared without case) as the directory writes them, domain lower case, sorted
   * by their lower-case form: stable across pages. Frozen and shared: do not copy per call.
   */
  members: readonly string[];
  /** Entries the filter matched that have no address in the member attribute. */
  unreachable: number;
  /** Entries the filter matched. */
  entries: number;
  fetchedAt: Date;
  fromCache: boolean;
  /** Past the list's TTL: served while it is refreshed, or while the directory is down. */
  stale: boolean;
  ageSeconds: number;
}

export interface ExpandOptions {
  /**
   * Told the entries read so far, as the search this call starts reads them. Not called when the
   * members come from the cache or from a search another caller started.
   */
  onProgress?: (entriesRead: number) => void;
}

export interface PageRequest {
  /** The nextCursor of the previous page; none for the first page. */
  cursor?: string;
  /** Members per page, 1 to 10,000. */
  limit: number;
}

export interface MemberPage {
  /** Members in the whole list. */
  total: number;
  members: readonly string[];
  /** Pass it back for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * The members of lists and the senders' entries, from the directory, through bounded caches that
 * serve stale values (up to maxStaleSeconds old) while refreshing or while the directory is down,
 * and never turn a failing search into an empty or partial list.
 */
export class Membership implements SenderDirectory {
  private readonly counters = zeroCounters();
  private readonly lists: RefreshingCache<Expansion>;
  private readonly senders: RefreshingCache<Entry | null>;
  private readonly now: () => number;

  constructor(private readonly options: MembershipOptions) {
    checkOptions(options);
    this.now = options.now ?? Date.now;
    const shared = { maxStaleMs: options.maxStaleSeconds * 1000, now: this.now, counters: this.counters, logger: options.logger };
    // Each list costs its member count, plus one so that an empty list is not free.
    this.lists = new RefreshingCache({ ...shared, name: 'members', maxSize: options.maxMembersHeld, sizeOf: (held) => held.members.length + 1 });
    this.senders = new RefreshingCache({ ...shared, name: 'sender', maxSize: options.maxSendersHeld ?? DEFAULT_MAX_SENDERS_HELD, sizeOf: () => 1 });
  }

  /** The list's members: from the cache, or from one search shared by every caller asking meanwhile. */
  async expand(list: ListDefinition, options: ExpandOptions = {}): Promise<MemberSet> {
    const served = await this.lists.get(this.membersRequest(list, options.onProgress));
    const { members, entries, unreachable } = served.value;
    return {
      members,
      unreachable,
      entries,
      fetchedAt: new Date(served.fetchedAt),
      fromCache: served.fromCache,
      stale: served.stale,
      ageSeconds: Math.max(0, Math.floor((this.now() - served.fetchedAt) / 1000)),
    };
  }

  /** The list's members one by one, in order; the whole expansion succeeds before the first is yielded. */
  async *stream(list: ListDefinition): AsyncGenerator<string> {
    const { members } = await this.expand(list);
    yield* members;
  }

  /** One page of the list's members, in order, and the cursor of the next; throws BadCursorError, BadPageLimitError. */
  async page(list: ListDefinition, request: PageRequest): Promise<MemberPage> {
    const pager = pagerOf(list, request);
    return pager((await this.expand(list)).members);
  }

  /** The directory entry of a sender (on the member and alternate-address attributes), or null; an empty sender is null. */
  async findSender(address: string, settings: DirectorySettings): Promise<Entry | null> {
    return (await this.senderEntry(address, settings)).value;
  }

  /**
   * findSender with the age of the answer. A held entry older than maxAgeMs is looked up again, and
   * never served when the directory cannot answer: the lookup's error is thrown.
   */
  async senderEntry(address: string, settings: DirectorySettings, maxAgeMs = Infinity): Promise<Aged<Entry | null>> {
    const sender = normaliseSender(address)?.address;
    if (sender === undefined) return { value: null, ageMs: 0 };
    const served = await this.senders.get({
      key: JSON.stringify([settings.base, settings.scope, settings.memberAttribute, settings.alternateAddressAttributes, sender]),
      tags: [],
      ttlMs: Math.min(this.options.senderTtlSeconds * 1000, maxAgeMs),
      maxAgeMs,
      label: sender,
      load: () => this.searchSender(sender, settings),
    });
    return { value: served.value, ageMs: this.now() - served.fetchedAt };
  }

  /** Whether the address is a member: from the cached members when there are, else one targeted search. */
  async isMember(list: ListDefinition, address: string): Promise<boolean> {
    return (await this.memberCheck(list, address)).value;
  }

  /**
   * isMember with the age of the answer. Held members older than maxAgeMs are not used: one targeted
   * search instead, whose error is thrown when the directory cannot answer it (a decision resting on
   * members older than the caller accepts is not made).
   */
  async memberCheck(list: ListDefinition, address: string, maxAgeMs = Infinity): Promise<Aged<boolean>> {
    const sender = normaliseSender(address)?.address;
    if (sender === undefined) return { value: false, ageMs: 0 };
    const cached = this.lists.cached({ ...this.membersRequest(list), maxAgeMs });
    if (cached) return this.isCachedMember(cached, sender, list.directory, maxAgeMs);
    this.counters.misses++;
    return { value: await this.searchMembership(list, sender), ageMs: 0 };
  }

  /** Forgets the cached members of one list (by address). */
  invalidateList(address: string): void {
    this.lists.forget(listTag(address.trim().toLowerCase()));
  }

  /** Forgets the cached members of every list of a family. */
  invalidateFamily(family: string): void {
    this.lists.forget(familyTag(family));
  }

  /** Forgets everything: members and senders. */
  invalidateAll(): void {
    this.lists.forget();
    this.senders.forget();
  }

  stats(): MembershipStats {
    const lists = this.lists.held();
    return { ...this.counters, listsHeld: lists.count, membersHeld: lists.size - lists.count, sendersHeld: this.senders.held().count };
  }

  private membersRequest(list: ListDefinition, onProgress?: (entriesRead: number) => void): CacheRequest<Expansion> {
    const { base, scope, memberAttribute } = list.directory;
    return {
      // The filter text is in the key: a charter that changes a list's meaning never gets its old members.
      key: JSON.stringify([list.address, list.filterText, base, scope, memberAttribute]),
      tags: [listTag(list.address), familyTag(list.family)],
      ttlMs: ttlSecondsOf(list, this.options.defaultTtlSeconds) * 1000,
      label: list.address,
      load: () => this.searchMembers(list, onProgress),
    };
  }

  private searchMembers(list: ListDefinition, onProgress?: (entriesRead: number) => void): Promise<Expansion> {
    const { base, scope, memberAttribute } = list.directory;
    return collectMembers(this.search('members', { base, scope, filter: list.filter, attributes: [memberAttribute] }), memberAttribute, onProgress);
  }

  private async searchSender(address: string, settings: DirectorySettings): Promise<Entry | null> {
    // Every attribute: the rights engine matches the entry against filters of any attribute.
    const request = { base: settings.base, scope: settings.scope, filter: senderFilter(address, settings), attributes: [] };
    for await (const entry of this.search('sender', request)) return entry;
    return null;
  }

  /** One search: the list's filter AND the sender's addresses; a member is a match with a member address. */
  private async searchMembership(list: ListDefinition, address: string): Promise<boolean> {
    const { base, scope, memberAttribute } = list.directory;
    const filter = new AndFilter({ filters: [list.filter, senderFilter(address, list.directory)] });
    for await (const entry of this.search('membership', { base, scope, filter, attributes: [memberAttribute] })) {
      if (addressesOf(entry, memberAttribute).length > 0) return true;
    }
    return false;
  }

  /**
   * Members are listed by their member attribute; a sender writing from an alternate address is
   * looked up (one cached sender search) and checked by the entry's member addresses, so that the
   * answer is the one the targeted search would give.
   */
  private async isCachedMember(held: Served<Expansion>, sender: string, settings: DirectorySettings, maxAgeMs: number): Promise<Aged<boolean>> {
    const { members } = held.value;
    const ageMs = this.now() - held.fetchedAt;
    if (includesSorted(members, sender)) return { value: true, ageMs };
    if (settings.alternateAddressAttributes.length === 0) return { value: false, ageMs };
    const entry = await this.senderEntry(sender, settings, maxAgeMs);
    const value = entry.value !== null && addressesOf(entry.value, settings.memberAttribute).some((a) => includesSorted(members, a));
    return { value, ageMs: Math.max(ageMs, entry.ageMs) };
  }

  private search(kind: DirectorySearchKind, request: SearchRequest): AsyncGenerator<Entry> {
    const { directory, searches } = this.options;
    return searchDirectory(directory, request, this.counters, searches && ((seconds) => searches.search(directory.kind, kind, seconds)));
  }
}

const listTag = (address: string): string => `list:${address}`;
const familyTag = (family: string): string => `family:${family}`;

/**
 * Checks a page request (limit, cursor) at once, and gives the function that cuts that page from a
 * list's sorted members: for callers that already hold the members (and their freshness).
 */
export function pagerOf(list: ListDefinition, request: PageRequest): (members: readonly string[]) => MemberPage {
  const limit = checkPageLimit(request.limit);
  const scope = cursorScope(list.address);
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor, scope);
  return (members) => {
    const start = after === undefined ? 0 : indexAfter(members, after);
    const page = members.slice(start, start + limit);
    const last = page[page.length - 1];
    const more = start + page.length < members.length;
    return { total: members.length, members: page, nextCursor: more && last !== undefined ? encodeCursor(scope, last) : null };
  };
}
