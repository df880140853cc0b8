import { AndFilter, EqualityFilter, NotFilter, OrFilter, PresenceFilter, type Filter } from 'ldapts';
import pino from 'pino';
import type { ListDefinition } from '../../src/charter/list.js';
import type { Directory, Entry, SearchRequest } from '../../src/directory/directory.js';
import { AutolistError } from '../../src/errors.js';
import { Membership, type MembershipOptions } from '../../src/membership/index.js';
import { shippedResolver } from '../harness/families.js';

/** The list an address names in the shipped families. */
export function listOf(address: string): ListDefinition {
  return shippedResolver().resolve(address);
}

export class DirectoryDownError extends AutolistError {
  readonly code = 'TEST_DIRECTORY_DOWN';
  readonly temporary = true;
}

export class NoSuchBaseError extends AutolistError {
  readonly code = 'TEST_NO_SUCH_BASE';
  readonly temporary = false;
}

/** A person under ou=people; attribute names are lower-cased as directories hand them out. */
export function person(uid: string, attributes: Record<string, string | string[]>): Entry {
  const lowered: Record<string, string[]> = { uid: [uid], objectclass: ['inetOrgPerson'] };
  for (const [name, value] of Object.entries(attributes)) lowered[name.toLowerCase()] = Array.isArray(value) ? value : [value];
  return { dn: `uid=${uid},ou=people,dc=example,dc=org`, attributes: lowered };
}

/**
 * A directory serving entries from an array: it evaluates the filters autolist sends (AND, OR, NOT,
 * equality, presence; ignoring case and outer spaces, as LDAP's matching rules for mail do), records every request, and can be told to fail (after
 * some entries) or to hang until released.
 */
export class TestDirectory implements Directory {
  readonly kind = 'embedded';
  readonly requests: SearchRequest[] = [];
  private failure: { error: unknown; after: number } | undefined;
  private gate: { promise: Promise<void>; open: () => void } | undefined;

  constructor(public entries: Entry[]) {}

  get searches(): number {
    return this.requests.length;
  }

  /** Searches from now on throw `error`, after yielding `after` entries. */
  failWith(error: unknown, after = 0): void {
    this.failure = { error, after };
  }

  heal(): void {
    this.failure = undefined;
  }

  /** Searches from now on wait until release(). */
  hang(): void {
    let open = (): void => {};
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }

  release(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  async *search(request: SearchRequest): AsyncGenerator<Entry> {
    this.requests.push(request);
    if (this.gate) await this.gate.promise;
    const failure = this.failure;
    let yielded = 0;
    for (const entry of this.entries) {
      if (failure && yielded === failure.after) throw failure.error;
      if (!matches(entry, request.filter)) continue;
      yield project(entry, request.attributes);
      yielded++;
    }
    if (failure) throw failure.error;
  }

  async health(): Promise<void> {}
  async close(): Promise<void> {}
}

function matches(entry: Entry, filter: Filter): boolean {
  if (filter instanceof AndFilter) return filter.filters.every((f) => matches(entry, f));
  if (filter instanceof OrFilter) return filter.filters.some((f) => matches(entry, f));
  if (filter instanceof NotFilter) return !matches(entry, filter.filter);
  const values = (attribute: string): string[] => entry.attributes[attribute.toLowerCase()] ?? [];
  if (filter instanceof PresenceFilter) return values(filter.attribute).length > 0;
  if (filter instanceof EqualityFilter) {
    const wanted = String(filter.value).trim().toLowerCase();
    return values(filter.attribute).some((v) => v.trim().toLowerCase() === wanted);
  }
  throw new Error(`the test directory does not evaluate ${filter.toString()}`);
}

function project(entry: Entry, attributes: string[]): Entry {
  if (attributes.length === 0) return entry;
  const wanted = new Set(attributes.map((a) => a.toLowerCase()));
  return { dn: entry.dn, attributes: Object.fromEntries(Object.entries(entry.attributes).filter(([name]) => wanted.has(name))) };
}

/** A clock the test moves by hand. */
export class TestClock {
  ms = Date.parse('2025-03-01T08:00:00Z');
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** A pino logger whose lines are kept, parsed, in `lines`. */
export function memoryLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

export interface Setup {
  directory: TestDirectory;
  clock: TestClock;
  membership: Membership;
  lines: Array<Record<string, unknown>>;
}

/** A Membership over a test directory, with a test clock and a kept log. */
export function setup(entries: Entry[], options: Partial<MembershipOptions> = {}): Setup {
  const directory = new TestDirectory(entries);
  const clock = new TestClock();
  const { logger, lines } = memoryLogger();
  const membership = new Membership({
    directory,
    maxMembersHeld: 1_000_000,
    defaultTtlSeconds: 3600,
    maxStaleSeconds: 4 * 3600,
    senderTtlSeconds: 60,
    logger,
    now: clock.now,
    ...options,
  });
  return { directory, clock, membership, lines };
}

/** Lets background work (a refresh started by a stale answer) run to its end. */
export function backgroundDone(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The chefs of département 56, with the cases an expansion must handle. */
export const CHEFS_56 = [
  person('alice', { title: 'chef', departmentNumber: '56', mail: 'Alice@Example.org' }),
  person('bob', { title: 'chef', departmentNumber: '56', mail: '  bob@example.org ', mailLocalAddress: 'robert@example.org' }),
  person('alice2', { title: 'chef', departmentNumber: '56', mail: 'alice@example.org' }),
  person('carol', { title: 'chef', departmentNumber: '56', mail: ['carol@example.org', 'C.Durand@Example.org'] }),
  person('dave', { title: 'chef', departmentNumber: '56' }),
  person('erin', { title: 'chef', departmentNumber: '56', mail: '   ' }),
  person('frank', { title: 'chef', departmentNumber: '29', mail: 'frank@example.org' }),
  person('gina', { title: 'adjoint', departmentNumber: '56', mail: 'gina@example.org' }),
];
export const CHEFS_56_MEMBERS = ['Alice@example.org', 'bob@example.org', 'C.Durand@example.org', 'carol@example.org'];

/**
 * A directory (LDIF, with its base entry) where liste.chefs-56 has two members, one written
 * `Jean.Dupont@Example.org`, and a chef of 29 written `Paul.Leroy@example.org`.
 */
export const JEAN_DUPONT_LDIF = `dn: dc=example,dc=org
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=people,dc=example,dc=org
objectClass: organizationalUnit
ou: people

dn: uid=jean.dupont,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: jean.dupont
cn: Jean Dupont
sn: Dupont
title: chef
departmentNumber: 56
mail: Jean.Dupont@Example.org

dn: uid=anne.martin,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: anne.martin
cn: Anne Martin
sn: Martin
title: chef
departmentNumber: 56
mail: anne.martin@example.org

dn: uid=paul.leroy,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: paul.leroy
cn: Paul Leroy
sn: Leroy
title: chef
departmentNumber: 29
mail: Paul.Leroy@example.org
`;

/** The members of chefs-56 in JEAN_DUPONT_LDIF: in the directory's case, the domain lower-cased, sorted without case. */
export const JEAN_DUPONT_MEMBERS = ['anne.martin@example.org', 'Jean.Dupont@example.org'];
