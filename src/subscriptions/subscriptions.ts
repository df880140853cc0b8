import { randomBytes } from 'node:crypto';
import type { ListDefinition } from '../charter/list.js';
import type { TokenSigner } from '../links/index.js';
import type { Logger } from '../log.js';
import { type Aged, type ExpandOptions, type Membership, type MemberSet, memberKey } from '../membership/index.js';
import type { Rights, Standing } from '../rights/index.js';
import type { OptEntry, OptRecord, OptWay } from '../store/index.js';
import { combineMembers } from './combine.js';
import type { OptAction, OptOutcome, RequestOutcome } from './outcome.js';

/** The purpose of the token a confirmation by reply carries (src/requests/token-replies.ts). */
export const CONFIRM_PURPOSE = 'confirm-subscription';
/** The purpose of the token in a one-click unsubscribe link (RFC 8058). */
export const ONE_CLICK_PURPOSE = 'unsubscribe';
/** How long a confirmation by reply may wait. */
const CONFIRM_DAYS = 7;
/** How long a one-click link in a copy stays good: mail is read long after it came. */
const ONE_CLICK_DAYS = 90;
const DAY_MS = 86_400_000;

/** What a confirmation token carries: the list, the person, the action and the pending request's nonce. */
export interface ConfirmData {
  l: string;
  a: string;
  c: OptAction;
  n: string;
}

/** Where a person stands on a list (as the rights' `member` counts and mail goes), and on what: the directory's answer, and their own choice. */
export interface Place {
  inDirectory: boolean;
  override?: Override;
  standing: Standing;
}

/** An exclusion or addition, with whether an addition's person is still admitted by the family's `subscribe` rules. */
export interface Override extends OptEntry {
  /** Additions: the family's rules still let the person subscribe (else the addition counts for nothing until they do again). Exclusions: always true. */
  admitted: boolean;
}

export interface SubscriptionsOptions {
  membership: Membership;
  rights: Rights;
  opt: OptRecord;
  signer: TokenSigner;
  /** Resolves a list address (a token names its list by address); follows family reloads. */
  resolve: (address: string) => ListDefinition;
  logger: Logger;
}

/**
 * A list's members as people chose them: the directory's entries for the list's filter, minus those
 * who unsubscribed (exclusions), plus those who subscribed (additions) whom the family's `subscribe`
 * rules still admit. The choices are read from the store on every call (a file or a Redis hash per
 * list), so every worker and replica sees a change at once and no cache needs telling; the
 * combination is kept per expansion of the directory's members while the choices stay the same.
 */
export class Subscriptions {
  private readonly combined = new WeakMap<readonly string[], { fingerprint: string; members: readonly string[] }>();

  constructor(private readonly options: SubscriptionsOptions) {}

  async members(list: ListDefinition, expand: ExpandOptions = {}): Promise<MemberSet> {
    const [set, entries] = await Promise.all([this.options.membership.expand(list, expand), this.options.opt.entries(list.address)]);
    if (entries.length === 0) return set;
    const overrides = await this.judge(list, entries, NO_LISTS);
    const excluded = new Set(overrides.filter((o) => o.kind === 'exclusion').map((o) => o.address));
    const added = overrides.filter((o) => o.kind === 'addition' && o.admitted).map((o) => o.address);
    const fingerprint = `${[...excluded].sort().join(',')}|${[...added].sort().join(',')}`;
    let held = this.combined.get(set.members);
    if (held?.fingerprint !== fingerprint) {
      held = { fingerprint, members: combineMembers(set.members, excluded, added) };
      this.combined.set(set.members, held);
    }
    return { ...set, members: held.members };
  }

  /** The list's exclusions and additions, each addition with whether the family's rules still admit its person. */
  async overrides(list: ListDefinition): Promise<Override[]> {
    const overrides = await this.judge(list, await this.options.opt.entries(list.address), NO_LISTS);
    return overrides.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }

  /** The person's exclusion or addition on the list, if any. */
  async override(list: ListDefinition, address: string): Promise<Override | undefined> {
    const key = memberKey(address);
    const entry = (await this.options.opt.entries(list.address)).find((e) => e.address === key);
    return entry === undefined ? undefined : (await this.judge(list, [entry], NO_LISTS))[0];
  }

  /**
   * Whether the person is a member as mail counts members, without expanding the list: the
   * directory's answer (one targeted search unless the members are held), unless their exclusion or
   * admitted addition says otherwise; `by` names the choice that did. The rights' MemberCheck: the
   * answer is at most `maxAgeMs` old, and `directoryOnly` goes on to the judging of an addition.
   */
  async standing(list: ListDefinition, address: string, maxAgeMs = Infinity, directoryOnly: ReadonlySet<string> = NO_LISTS): Promise<Aged<Standing>> {
    const { value, ageMs } = await this.place(list, address, maxAgeMs, directoryOnly);
    return { value: value.standing, ageMs };
  }

  /** standing, with what it rests on: the directory's answer, and the person's exclusion or addition, if any, by their address or the member address their entry gives. */
  async place(list: ListDefinition, address: string, maxAgeMs = Infinity, directoryOnly: ReadonlySet<string> = NO_LISTS): Promise<Aged<Place>> {
    const { membership, opt } = this.options;
    const [directory, entries] = await Promise.all([membership.memberCheck(list, address, maxAgeMs), opt.entries(list.address)]);
    const inDirectory = directory.value;
    let ageMs = directory.ageMs;
    let choice = choiceOf(entries, [memberKey(address)]);
    if (choice === undefined && inDirectory && entries.length > 0) {
      // Written from an alternate address: an exclusion is recorded under the address the directory lists them by.
      const entry = await membership.senderEntry(address, list.directory, maxAgeMs);
      ageMs = Math.max(ageMs, entry.ageMs);
      choice = choiceOf(entries, (entry.value?.attributes[list.directory.memberAttribute] ?? []).map(memberKey));
    }
    if (choice === undefined) return { value: { inDirectory, standing: { member: inDirectory } }, ageMs };
    const [override] = (await this.judge(list, [choice], directoryOnly)) as [Override];
    return { value: { inDirectory, override, standing: standingOf(inDirectory, override) }, ageMs };
  }

  /** Undoes an exclusion or addition (an administrator's act): the directory alone decides again for that person. */
  async undo(list: ListDefinition, address: string): Promise<OptEntry | undefined> {
    const removed = await this.options.opt.remove(list.address, memberKey(address));
    this.options.rights.invalidate(list.address);
    return removed;
  }

  /** Undoes the person's exclusion or addition as an administrator does (DELETE .../overrides/{mail}, `autolist overrides --undo`): what was undone, or undefined when they had none. */
  async undoOverride(list: ListDefinition, address: string): Promise<Override | undefined> {
    const override = await this.override(list, address);
    if (override === undefined || (await this.undo(list, override.address)) === undefined) return undefined;
    return override;
  }

  /**
   * A subscribe or unsubscribe asked by mail: refused or done-already at once; otherwise recorded as
   * pending and answered with the token the reply must carry (one reply confirms it, within 7 days).
   */
  async request(list: ListDefinition, sender: string, action: OptAction): Promise<RequestOutcome> {
    const address = memberKey(sender);
    const check = await this.check(list, address, action);
    if (check !== undefined) return check;
    const nonce = randomBytes(9).toString('base64url');
    const expiresAt = new Date(Date.now() + CONFIRM_DAYS * DAY_MS);
    await this.options.opt.propose({ list: list.address, address, action, nonce, expiresAt: expiresAt.getTime() });
    const data: ConfirmData = { l: list.address, a: address, c: action, n: nonce };
    return { result: 'confirm', token: this.options.signer.sign(CONFIRM_PURPOSE, { ...data }, expiresAt), expiresAt };
  }

  /** The reply to a confirmation: its request done once (`unused` when it was already, or a newer request replaced it). */
  async confirm(data: ConfirmData): Promise<OptOutcome | { result: 'used' }> {
    const list = this.options.resolve(data.l);
    if (!(await this.options.opt.consume(list.address, data.a, data.c, data.n))) return { result: 'used' };
    return this.apply(list, data.a, data.c, 'mail');
  }

  /** The token of a member's one-click unsubscribe link for the list. */
  oneClickToken(list: ListDefinition, member: string): string {
    return this.options.signer.sign(ONE_CLICK_PURPOSE, { l: list.address, a: memberKey(member) }, new Date(Date.now() + ONE_CLICK_DAYS * DAY_MS));
  }

  /** What a one-click token names: its list and member; TOKEN_INVALID or TOKEN_EXPIRED otherwise. */
  readOneClick(token: string): { list: ListDefinition; address: string } {
    const data = this.options.signer.verify<{ l: string; a: string }>(ONE_CLICK_PURPOSE, token);
    return { list: this.options.resolve(data.l), address: data.a };
  }

  /** The one-click POST: the member unsubscribed at once, the signed token being the proof (idempotent). */
  oneClick(token: string): Promise<OptOutcome> {
    const { list, address } = this.readOneClick(token);
    return this.apply(list, address, 'unsubscribe', 'one-click');
  }

  /** Does the action for the person, the family's rules deciding again. */
  async apply(list: ListDefinition, address: string, action: OptAction, how: OptWay): Promise<OptOutcome> {
    const check = await this.check(list, address, action);
    if (check !== undefined) return check;
    const { opt, rights, logger } = this.options;
    const current = await this.current(list, address);
    // `member` conditions count these choices: this worker's decisions about the list go at once (the others' within their TTL).
    if (current.entry !== undefined) {
      await opt.remove(list.address, current.entry.address);
      rights.invalidate(list.address);
      logger.info({ list: list.address, address, action, how }, action === 'subscribe' ? 'exclusion undone: the person rejoined the list' : 'addition undone: the person left the list');
      return action === 'subscribe' ? { result: 'rejoined', removed: current.entry } : { result: 'left', removed: current.entry };
    }
    const decision = await rights.decide(list, action, address);
    const entry: OptEntry = {
      kind: action === 'subscribe' ? 'addition' : 'exclusion',
      list: list.address,
      address: current.memberAddress ?? address,
      at: new Date().toISOString(),
      how,
      rule: decision.rule,
    };
    await opt.put(entry);
    rights.invalidate(list.address);
    logger.info({ list: list.address, address, action, how, rule: decision.rule }, action === 'subscribe' ? 'addition recorded' : 'exclusion recorded');
    return action === 'subscribe' ? { result: 'added', entry } : { result: 'excluded', entry };
  }

  /** The outcome when the action needs nothing done or is refused; undefined when it is to be done. */
  private async check(list: ListDefinition, address: string, action: OptAction): Promise<OptOutcome | undefined> {
    const decision = await this.options.rights.decide(list, action, address);
    if (decision.decision === 'defer') return { result: 'deferred', decision };
    if (decision.decision !== 'allow') return { result: 'refused', decision };
    const { member } = await this.current(list, address);
    if (member === (action === 'subscribe')) return { result: 'unchanged', member };
    return undefined;
  }

  /**
   * Where the person stands: their choice on the list (by their address, or by the member address
   * their directory entry gives when they write from another), whether they are a member now, and
   * the address the directory lists them under.
   */
  private async current(list: ListDefinition, address: string): Promise<{ entry?: OptEntry; member: boolean; memberAddress?: string }> {
    const { membership, opt } = this.options;
    const [directoryMember, entries, set] = await Promise.all([membership.isMember(list, address), opt.entries(list.address), membership.expand(list)]);
    let memberAddress: string | undefined;
    if (directoryMember) {
      const entry = await membership.findSender(address, list.directory);
      const own = entry?.attributes[list.directory.memberAttribute] ?? [];
      memberAddress = [address, ...own.map(memberKey)].find((a) => set.members.some((m) => memberKey(m) === a));
    }
    const entry = choiceOf(entries, memberAddress === undefined ? [address] : [address, memberAddress]);
    if (entry?.kind === 'exclusion') return { entry, member: false, ...(memberAddress ? { memberAddress } : {}) };
    if (entry?.kind === 'addition') return { entry, member: true };
    return { member: directoryMember, ...(memberAddress ? { memberAddress } : {}) };
  }

  /**
   * Each addition checked against the family's `subscribe` rules (cached decisions); a decision
   * deferred keeps the person in. In those rules, membership of this list (and of any list whose
   * additions are being judged on the way here) is the directory's alone: an addition cannot vouch
   * for itself, and lists whose subscribe rules name each other end.
   */
  private judge(list: ListDefinition, entries: readonly OptEntry[], directoryOnly: ReadonlySet<string>): Promise<Override[]> {
    const judging = new Set([...directoryOnly, list.address]);
    return Promise.all(
      entries.map(async (entry) => {
        if (entry.kind === 'exclusion') return { ...entry, admitted: true };
        const decision = await this.options.rights.decide(list, 'subscribe', entry.address, {}, judging);
        return { ...entry, admitted: decision.decision === 'allow' || decision.decision === 'defer' };
      }),
    );
  }
}

const NO_LISTS: ReadonlySet<string> = new Set();

/** What a choice makes of the directory's answer: an exclusion takes a member out, an addition the subscribe rules admit puts a person in. */
function standingOf(inDirectory: boolean, override: Override): Standing {
  if (override.kind === 'exclusion') return inDirectory ? { member: false, by: 'unsubscribed' } : { member: false };
  if (inDirectory) return { member: true };
  return override.admitted ? { member: true, by: 'subscribed' } : { member: false, by: 'no-longer-admitted' };
}

/** The person's choice on a list, recorded under one of their addresses. */
function choiceOf(entries: readonly OptEntry[], addresses: readonly string[]): OptEntry | undefined {
  return entries.find((e) => addresses.includes(e.address));
}
