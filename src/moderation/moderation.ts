import { createHash } from 'node:crypto';
import type { ListDefinition } from '../charter/list.js';
import type { Language } from '../i18n/index.js';
import type { Relay } from '../relay/index.js';
import type { DecisionModerators } from '../rights/index.js';
import type { Services } from '../services.js';
import type { DecideOutcome, HeldDecision, HeldMessage, HeldStore } from '../store/held/index.js';
import { AlreadyDecidedError } from './errors.js';
import { moderatorAddresses } from './moderators.js';
import { t } from './messages.js';
import { authorNotice, moderatorNotice } from './notices.js';
import { previewOf } from './preview.js';
import { listToken, messageToken } from './tokens.js';

export type ModerationServices = Pick<Services, 'config' | 'logger' | 'catalog' | 'membership' | 'links' | 'held'>;

/** Relays an approved message to its list's members as any message goes (the list's headers, the relay's records): the SMTP front's way. */
export type RelayToList = (list: ListDefinition, raw: Buffer, key: string) => Promise<void>;

/** A decision asked for: approve, or reject with an optional reason. */
export type Verdict = { state: 'approved' } | { state: 'rejected'; reason?: string };

/** The key of a held message's relaying: the same whoever approves it and however often it is tried, so that each member gets it once. */
export function approvedKey(id: string): string {
  return createHash('sha256').update(`held\n${id}`).digest('hex').slice(0, 32);
}

/**
 * Moderation: holds a message (durably, before the 250), tells each moderator with their own
 * link and reply token, carries out the first decision (the relay for an approval, the author's
 * notice for a rejection or an expiry), and sweeps what expired or was decided but not carried out.
 */
export class Moderation {
  constructor(
    private readonly services: ModerationServices,
    private readonly relay: Relay,
    private readonly relayToList: RelayToList,
  ) {}

  private get store(): HeldStore {
    return this.services.held;
  }

  /** The 250's words for a held message, in the list's language. */
  static heldReply(list: ListDefinition): string {
    return t(list.language, 'held', { list: list.address });
  }

  /** Holds the message; resolves once it is recorded (the 250 may follow), the moderators told, each with their own link and token. */
  async hold(list: ListDefinition, sender: string, raw: Buffer, moderators: DecisionModerators): Promise<HeldMessage> {
    const addresses = await moderatorAddresses(this.services, list, moderators);
    const heldAt = new Date();
    const held = await this.store.hold({ list: list.address, sender, raw, heldAt, expiresAt: new Date(heldAt.getTime() + list.moderationExpirySeconds * 1000), moderators: addresses });
    const { logger } = this.services;
    logger.info({ list: list.address, sender, id: held.id, moderators: addresses.length }, 'message held for moderation');
    if (addresses.length === 0) logger.warn({ list: list.address, id: held.id }, 'a held message has no moderator to tell: an administrator decides (autolist held), or it expires');
    // Recorded: a failure to tell a moderator is logged, the message stays held (and listed for administrators).
    await this.notify(list, held, addresses).catch((error: unknown) => logger.error({ err: error, list: list.address, id: held.id }, 'moderators could not be told of a held message'));
    return held;
  }

  /** Each moderator's notification, each with their own capability. */
  private async notify(list: ListDefinition, held: HeldMessage, moderators: string[]): Promise<void> {
    const { signer } = this.services.links;
    const preview = previewOf(held.raw);
    for (const moderator of moderators) {
      const token = messageToken(signer, { id: held.id, by: moderator }, held.expiresAt);
      const links = { token, message: this.link(`moderation/${token}`), list: this.link(`moderation/list/${listToken(signer, { list: list.address, by: moderator }, held.expiresAt)}`) };
      const message = await moderatorNotice(list, held, preview, moderator, links);
      await this.relay.deliver({
        key: `${held.id}-notify-${createHash('sha256').update(moderator).digest('hex').slice(0, 16)}`,
        sender: '',
        recipients: [moderator],
        message,
        priority: list.priority,
        list: list.address,
      });
    }
  }

  /** A moderator's link to the explorer: PUBLIC_URL/PATH. */
  link(path: string): string {
    return `${this.services.links.publicUrl.replace(/\/+$/, '')}/${path}`;
  }

  /**
   * Decides on a held message, for `by` (a moderator's address, or `admin`): the first decision
   * wins and is carried out before this resolves; a later one changes nothing and learns the first.
   * Throws HeldNotFoundError when there is no such message.
   */
  async decide(id: string, verdict: Verdict, by: string): Promise<DecideOutcome> {
    return this.record(id, { state: verdict.state, by, at: new Date(), ...(verdict.state === 'rejected' && verdict.reason?.trim() ? { reason: verdict.reason.trim() } : {}) });
  }

  /**
   * Decides as the admin routes, the moderators' links and `autolist approve`/`reject` do: the
   * message as decided, carried out; AlreadyDecidedError naming the first decision when another came first.
   */
  async decideFirst(id: string, verdict: Verdict, by: string): Promise<HeldMessage> {
    const { won, message } = await this.decide(id, verdict, by);
    if (!won && message.decision !== undefined) throw new AlreadyDecidedError(id, message.decision);
    return message;
  }

  private async record(id: string, decision: HeldDecision): Promise<DecideOutcome> {
    const outcome = await this.store.decide(id, decision);
    const { state, by } = decision;
    this.services.logger.info({ id, list: outcome.message.list, state, by, won: outcome.won }, outcome.won ? 'held message decided' : 'held message already decided');
    if (outcome.won) await this.carryOut(outcome.message);
    return outcome;
  }

  /** Does what a decision calls for, once for good: the relay (one copy a member, whoever retries), or the author's notice; then notes it done. */
  private async carryOut(held: HeldMessage): Promise<void> {
    const list = this.listOf(held);
    if (held.state === 'approved') {
      if (list === undefined) throw new Error(`the list ${held.list} of held message ${held.id} no longer resolves`);
      await this.relayToList(list, held.raw, approvedKey(held.id));
    } else if (held.sender !== '' && list !== undefined) {
      const message = await authorNotice(list, held, previewOf(held.raw));
      await this.relay.deliver({ key: `${held.id}-${held.state}`, sender: '', recipients: [held.sender], message, priority: list.priority, list: list.address });
    }
    await this.store.settle(held.id);
  }

  /**
   * One sweep, one at a time across workers and replicas (the store's lock): messages past their
   * expiry are decided `expired` (the author is told), decisions not yet carried out are (after a
   * relay failure), and settled messages past their expiry are forgotten (no link to them works any more).
   */
  async sweep(now = new Date()): Promise<void> {
    await this.store.exclusive('sweep', async () => {
      for (const id of await this.store.due(now)) {
        const held = await this.store.get(id);
        if (held === undefined) continue;
        try {
          if (held.state === 'held') await this.record(id, { state: 'expired', by: 'expiry', at: now });
          else if (!held.settled && leftUndone(held, now)) await this.carryOut(held);
          else if (held.expiresAt <= now) await this.store.remove(id);
        } catch (error) {
          this.services.logger.error({ err: error, id, list: held.list }, 'a held message could not be swept: tried again at the next sweep');
        }
      }
    });
  }

  /** The list a held message was sent to, as its family says now; undefined when it no longer resolves. */
  listOf(held: HeldMessage): ListDefinition | undefined {
    try {
      return this.services.catalog.resolver.resolve(held.list);
    } catch {
      return undefined;
    }
  }

  /** The language of what is said about a held message: its list's (English when the list no longer resolves). */
  languageOf(held: HeldMessage): Language {
    return this.listOf(held)?.language ?? 'en';
  }
}

/**
 * How long a decision is its decider's to carry out before a sweep takes it over. `autolist approve`
 * relays from a process of its own, outside the lock `autolist serve`'s workers take on a message
 * with the file store: a sweep running beside it could reach members twice. The decider carries out
 * at once; only what it left undone (the relay was down) is the sweep's, this long after.
 */
const CARRY_OUT_GRACE_MS = 10 * 60_000;

function leftUndone(held: HeldMessage, now: Date): boolean {
  return held.decision === undefined || held.decision.at.getTime() <= now.getTime() - CARRY_OUT_GRACE_MS;
}
