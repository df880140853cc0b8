import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { compileFamily } from '../../src/charter/compile.js';
import type { ListDefinition } from '../../src/charter/list.js';
import { loadFamilies, loadSharedConditions, readFamilySource } from '../../src/charter/load.js';
import { Resolver } from '../../src/charter/resolver.js';
import type { Action } from '../../src/charter/rights.js';
import { EmbeddedDirectory, LdapDirectory, matchesEntry, type Directory, type Entry, type SearchRequest } from '../../src/directory/index.js';
import { createLogger } from '../../src/log.js';
import { Membership, type MembershipOptions } from '../../src/membership/index.js';
import { Rights, type Decision, type DecisionContext, type RightsOptions } from '../../src/rights/index.js';
import { writeDirectory } from '../fixtures/generate-directory.js';
import { D } from '../harness/families.js';
import { Slapd } from '../harness/slapd.js';

export { D };

const ROOT = join(import.meta.dirname, '..', '..');

/** The shipped families and the test family `equipe`, which uses every kind of condition. */
export const resolver = new Resolver([
  ...loadFamilies(join(ROOT, 'families')),
  compileFamily(readFamilySource(join(ROOT, 'test', 'fixtures', 'families', 'equipe')), loadSharedConditions(join(ROOT, 'families'))),
]);

export function listOf(name: string): ListDefinition {
  return resolver.resolve(name.includes('@') ? name : `${name}${D}`);
}

/** A real directory with every search and every entry it yields counted. */
export class CountingDirectory implements Directory {
  searches = 0;
  entries = 0;
  readonly requests: SearchRequest[] = [];

  constructor(private readonly inner: Directory) {}

  get kind(): Directory['kind'] {
    return this.inner.kind;
  }

  async *search(request: SearchRequest): AsyncGenerator<Entry> {
    this.searches++;
    this.requests.push(request);
    for await (const entry of this.inner.search(request)) {
      this.entries++;
      yield entry;
    }
  }

  reset(): void {
    this.searches = 0;
    this.entries = 0;
    this.requests.length = 0;
  }

  health(): Promise<void> {
    return this.inner.health();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Rights over a fresh Membership: nothing cached, every directory search counted. */
export function rightsOver(
  directory: Directory,
  options: { membership?: Partial<MembershipOptions>; rights?: Partial<RightsOptions> } = {},
): { rights: Rights; membership: Membership; counting: CountingDirectory } {
  const counting = new CountingDirectory(directory);
  const logger = createLogger('silent');
  const membership = new Membership({
    directory: counting,
    maxMembersHeld: 1_000_000,
    defaultTtlSeconds: 3600,
    maxStaleSeconds: 0,
    senderTtlSeconds: 30,
    logger,
    ...options.membership,
  });
  const rights = new Rights({ resolve: (address) => resolver.resolve(address), directory: membership, matches: matchesEntry, logger, ...options.rights });
  return { rights, membership, counting };
}

/** The generated directory of a test file: 2,000 persons (the fixed ones included), in a folder of its own. */
export function fixtureDirectory(persons = 2000): { ldif: () => string } {
  let dir = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-rights-'));
    await writeDirectory(join(dir, 'directory.ldif'), { persons, seed: 1 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return { ldif: () => join(dir, 'directory.ldif') };
}

/** A directory of one kind over an LDIF file, opened before a suite's tests and closed after them. */
export interface Backend {
  readonly kind: 'slapd' | 'embedded';
  directory: Directory;
  /** The server behind an `slapd` backend. */
  slapd?: Slapd;
}

export const BACKENDS = ['slapd', 'embedded'] as const;

/** Opens the backend in a suite's before() and closes it in its after(). */
export function backend(kind: Backend['kind'], ldif: () => string): Backend {
  const opened: Backend = { kind, directory: undefined as unknown as Directory };
  before(async () => {
    if (kind === 'embedded') {
      opened.directory = await EmbeddedDirectory.load(ldif());
      return;
    }
    const slapd = await Slapd.start({ ldif: ldif() });
    opened.slapd = slapd;
    opened.directory = new LdapDirectory({ urls: [slapd.url], bindDN: slapd.bindDN, bindPassword: slapd.password, connectTimeoutMs: 2000, timeoutMs: 10_000 });
  });
  after(async () => {
    await opened.directory?.close();
    await opened.slapd?.dispose();
  });
  return opened;
}

/** One row of a table of decisions. */
export interface Case {
  list: string;
  action: Action;
  sender: string;
  context?: DecisionContext;
  decision: Decision['decision'];
  /** The rule that decides: its position among the action's rules (1 for the first), or `otherwise`, `closed`, `empty-sender`, `directory`. */
  rule: number | string;
  /** The sender as matched, when it differs from the one given. */
  matched?: string;
  /** Patterns each of which some reason must match. */
  reasons?: RegExp[];
}

export function caseName(c: Case): string {
  const context = c.context ? ` ${JSON.stringify(c.context)}` : '';
  return `${c.action} ${c.list} ${JSON.stringify(c.sender)}${context} -> ${c.decision}`;
}

/** Decides a case and checks the decision; `lists` names the lists (the shipped families and equipe by default). */
export async function check(rights: Rights, c: Case, lists: (name: string) => ListDefinition = listOf): Promise<Decision> {
  const list = lists(c.list);
  const decision = await rights.decide(list, c.action, c.sender, c.context);
  const shown = JSON.stringify(decision, null, 1);
  assert.equal(decision.decision, c.decision, shown);
  const rule = typeof c.rule === 'string' ? c.rule : list.rights[c.action].rules[c.rule - 1]?.source;
  assert.equal(decision.rule, rule, shown);
  // The first reason names the rule in the family's words: "rule 1 (" or "règle 1 (".
  const named = `${list.language === 'fr' ? 'règle' : 'rule'} ${c.rule} (`;
  if (typeof c.rule === 'number') assert.ok(decision.reasons[0]?.includes(named), `the first reason names rule ${c.rule}:\n${shown}`);
  if (c.matched !== undefined) assert.equal(decision.sender, c.matched);
  for (const pattern of c.reasons ?? [])
    assert.ok(
      decision.reasons.some((r) => pattern.test(r)),
      `no reason matches ${pattern}:\n${shown}`,
    );
  return decision;
}
