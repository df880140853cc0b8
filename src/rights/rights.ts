import { LRUCache } from 'lru-cache';
import { addressErrorText } from '../charter/address-messages.js';
import { describeCondition, describeOutcome } from '../charter/describe.js';
import type { ListDefinition } from '../charter/list.js';
import type { Action, ActionRules, Condition, Moderators, Outcome, RightsRule } from '../charter/rights.js';
import type { Entry, EntryMatcher } from '../directory/directory.js';
import { AutolistError } from '../errors.js';
import type { Language } from '../i18n/index.js';
import type { Logger } from '../log.js';
import type { Aged, SenderDirectory } from '../membership/index.js';
import { evaluate, memberOfAddress, type Subject } from './conditions.js';
import { DecisionKeys } from './decision-keys.js';
import { domainOf, senderOf } from './sender.js';
import { isStoreFailure } from '../store/index.js';
import { userOwnsSender } from '../verification/account-owner.js';
import { t } from './messages.js';
import type { Decision, DecisionContext, DecisionModerators, MemberCheck, Standing, Verdict } from './types.js';

export interface RightsOptions {
  /** Resolves another charter address (for `member of` conditions); follows family reloads. */
  resolve: (address: string) => ListDefinition;
  directory: SenderDirectory;
  /** Membership as mail counts it, for `member` and `member of` (src/services.ts gives the subscriptions'); absent: the directory alone. */
  members?: MemberCheck;
  matches: EntryMatcher;
  /** How long a decision is reused, in seconds (default 30); defers are never cached. */
  ttlSeconds?: number;
  /** Decisions kept (default 100,000). */
  maxEntries?: number;
  logger?: Logger;
  /** The decisions cache's clock, in milliseconds (default performance.now; tests inject one). */
  now?: () => number;
}

/**
 * Answers "may SENDER do ACTION on LIST?" from the family's rules: allow or deny with the chain
 * of reasons, or defer when the directory could not answer for now (never for a plain no).
 */
export class Rights {
  private readonly cache: LRUCache<string, Decision>;
  private readonly stats = { decisions: 0, cached: 0, allow: 0, deny: 0, defer: 0, pending: 0, moderate: 0 };
  private readonly keys = new DecisionKeys();
  private readonly ttlMs: number;

  constructor(private readonly options: RightsOptions) {
    this.ttlMs = (options.ttlSeconds ?? 30) * 1000;
    this.cache = new LRUCache({
      max: options.maxEntries ?? 100_000,
      ttl: this.ttlMs,
      // An injected clock is read on every check: lru-cache otherwise reuses a reading for a millisecond of real time.
      ...(options.now === undefined ? {} : { perf: { now: options.now }, ttlResolution: 0 }),
    });
  }

  /** `directoryOnly`: lists whose `member` and `member of` read the directory alone (see MemberCheck); none for every caller but the one judging additions. */
  async decide(list: ListDefinition, action: Action, rawSender: string, rawContext: DecisionContext = {}, directoryOnly: ReadonlySet<string> = NO_LISTS): Promise<Decision> {
    const sender = senderOf(rawSender);
    const context = normaliseContext(rawContext);
    // Everything the decision depends on but the directory's answers and people's choices, which the TTL bounds.
    const key = this.keys.key(list, action, context, sender, directoryOnly);
    this.stats.decisions++;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.stats.cached++;
      this.stats[cached.decision]++;
      return cached;
    }
    const answers = { oldestMs: 0 };
    const decision = await this.decideUncached(list, action, sender, domainOf(sender), context, directoryOnly, answers);
    this.stats[decision.decision]++;
    // Kept no longer than the oldest directory answer it rests on may be: a change of the sender's
    // entry or of the list's members shows within the TTL. Defers are never kept.
    const ttl = this.ttlMs - answers.oldestMs;
    if (decision.decision !== 'defer' && ttl > 0) this.cache.set(key, decision, { ttl });
    return decision;
  }

  /** Forgets cached decisions: all of them, or those about one list. */
  invalidate(listAddress?: string): void {
    if (listAddress === undefined) return this.cache.clear();
    const stale: string[] = [];
    for (const [key, decision] of this.cache.entries()) if (decision.list === listAddress) stale.push(key);
    for (const key of stale) this.cache.delete(key);
  }

  counters(): Readonly<typeof this.stats> {
    return { ...this.stats };
  }

  private async decideUncached(
    list: ListDefinition,
    action: Action,
    sender: string,
    domain: string,
    context: DecisionContext,
    directoryOnly: ReadonlySet<string>,
    answers: { oldestMs: number },
  ): Promise<Decision> {
    const rules: ActionRules = list.rights[action];
    const { language } = list;
    const shown = sender === '' ? t(language, 'emptySenderShown') : sender;
    const doing = t(language, 'doing', { action, list: list.address });
    const decided = (decision: Verdict, rule: string, reasons: string[], moderators?: DecisionModerators): Decision =>
      Object.freeze({ decision, list: list.address, action, sender, rule, reasons: Object.freeze(reasons) as string[], ...(moderators === undefined ? {} : { moderators }) });
    if (rules.closed) return decided('deny', 'closed', [t(language, 'closed', { doing, action, family: list.family })]);
    if (sender === '' && action === 'send' && !rules.rules.some((r) => mentionsEmptySender(r.condition))) {
      return decided('deny', 'empty-sender', [t(language, 'noEmptySender', { sender: shown, doing, family: list.family })]);
    }
    const subject = this.subject(list, sender, domain, context, directoryOnly, answers);
    const details: string[] = [];
    try {
      const byRules = await this.byRules(list, rules, subject, shown, doing, details);
      if (byRules.decision === 'deny' || !this.needsVerifying(list, action, sender, context)) return decided(byRules.decision, byRules.rule, byRules.reasons, byRules.moderators);
      const { authenticatedUser: user } = context;
      const verified = context.verified === true || (user !== undefined && userOwnsSender(user, sender, await subject.entry(), list.directory));
      if (verified) return decided(byRules.decision, byRules.rule, byRules.reasons, byRules.moderators);
      if (context.beforeMessage) {
        // DMARC, read at the end of the message, may still verify the sender.
        const why = t(language, 'notVerifiedYet', { sender: shown, domain: domain || t(language, 'itsDomain') });
        return decided('pending', 'unverified', [why, ...byRules.reasons]);
      }
      return decided('deny', 'unverified', [unverifiedReason(list, shown, domain, doing, context), ...byRules.reasons]);
    } catch (error) {
      // A plain "no" never throws: what does is the directory, or autolist's store, failing. Only a temporary failure defers;
      // a lasting one (bad credentials, no such base) is the site's fault and goes up as it is.
      if (!(error instanceof AutolistError && error.temporary)) throw error;
      // What did not answer may be autolist's own store (the exclusions and additions behind `member`), not the directory.
      const store = isStoreFailure(error);
      this.options.logger?.warn({ err: error, list: list.address, action }, store ? 'rights deferred: autolist’s store could not be read' : 'rights deferred: the directory could not answer');
      // The reason reaches outside senders (SMTP replies, policy answers): the error's details (servers, their messages) stay in the log.
      const reason = t(language, store ? 'deferredStore' : 'deferred', { sender: shown });
      return decided('defer', store ? 'store' : 'directory', [reason, ...details]);
    }
  }

  /** Whether a `send` must come from a verified sender: the family says so, the front asked, and the sender claims an address. */
  private needsVerifying(list: ListDefinition, action: Action, sender: string, context: DecisionContext): boolean {
    return action === 'send' && list.senders === 'verified' && context.verified !== undefined && sender !== '';
  }

  /**
   * The family's rules, first match wins, with what only the message can tell left unknown: the
   * outcomes still possible are those of the rules that may apply before the first that does (or
   * the default); one possible outcome decides, several leave the decision pending. Each rule
   * tried goes to `details`.
   */
  private async byRules(list: ListDefinition, rules: ActionRules, subject: Subject, shown: string, doing: string, details: string[]): Promise<ByRules> {
    const { language } = list;
    // What kept each rule from applying, in the words of its condition: the heart of a refusal.
    const misses: string[] = [];
    // Outcomes told apart by their moderators too: a message moderated by the owners or by a list.
    const possible = new Set<string>();
    const settle = (outcome: Outcome, rule: string, summary: string[], moderators?: Moderators): ByRules => {
      if ([...possible].every((p) => p === outcomeKey(outcome, moderators))) {
        const who = outcome === 'moderate' && moderators !== undefined ? { moderators: moderatorsOf(moderators, list) } : {};
        return { decision: outcome, rule, reasons: [...summary, ...details], ...who };
      }
      return { decision: 'pending', rule: 'message', reasons: [t(language, 'dependsOnMessage', { sender: shown, doing }), ...details] };
    };
    for (const [index, rule] of rules.rules.entries()) {
      const evaluation = await evaluate(rule.condition, subject);
      const result = evaluation.value === 'unknown' ? 'unknown' : evaluation.value ? 'applies' : 'misses';
      details.push(triedRule(language, index, rule, result), ...evaluation.reasons);
      if (evaluation.value === false) {
        misses.push(evaluation.reasons[0] ?? t(language, 'ruleDoesNotApply', { n: index + 1, source: rule.source }));
        continue;
      }
      if (evaluation.value === 'unknown') {
        possible.add(outcomeKey(rule.outcome, rule.moderators));
        continue;
      }
      const applies = t(language, 'ruleApplies', { n: index + 1, source: rule.source });
      return settle(rule.outcome, rule.source, [t(language, 'verdict', { outcome: rule.outcome, sender: shown, doing, why: applies })], rule.moderators);
    }
    const why = rules.rules.length === 0 ? t(language, 'noRuleGiven', { family: list.family }) : t(language, 'noRuleApplies');
    const fallback = t(language, 'fallback', { why, outcome: describeOutcome(rules.otherwise, rules.otherwiseModerators, language) });
    const verdict = (because: string): string => t(language, 'verdict', { outcome: rules.otherwise, sender: shown, doing, why: because });
    const summary = misses.length === 0 ? [verdict(fallback)] : [verdict(misses.join('; ')), fallback];
    return settle(rules.otherwise, 'otherwise', summary, rules.otherwiseModerators);
  }

  /** The sender with lazy directory answers: each asked at most once per decision. */
  private subject(list: ListDefinition, sender: string, domain: string, context: DecisionContext, directoryOnly: ReadonlySet<string>, answers: { oldestMs: number }): Subject {
    let entry: Promise<Entry | null> | undefined;
    const { directory, members, resolve, matches } = this.options;
    // Answers older than a decision's TTL are asked again; the oldest one used is noted.
    const fresh = async <T>(asked: Promise<Aged<T>>): Promise<T> => {
      const { value, ageMs } = await asked;
      answers.oldestMs = Math.max(answers.oldestMs, ageMs);
      return value;
    };
    return {
      list,
      sender,
      domain,
      context,
      entry: () => (entry ??= sender === '' ? Promise.resolve(null) : fresh(directory.senderEntry(sender, list.directory, this.ttlMs))),
      standing: (l) =>
        members === undefined || directoryOnly.has(l.address)
          ? fresh(directory.memberCheck(l, sender, this.ttlMs)).then((member): Standing => ({ member }))
          : fresh(members(l, sender, this.ttlMs, directoryOnly)),
      resolve: (address) => {
        try {
          return resolve(address);
        } catch (error) {
          if (error instanceof AutolistError && !error.temporary) return addressErrorText(error, address, list.language);
          throw error;
        }
      },
      matches,
    };
  }
}

interface ByRules {
  decision: Verdict;
  rule: string;
  reasons: string[];
  moderators?: DecisionModerators;
}

const outcomeKey = (outcome: Outcome, moderators: Moderators | undefined): string => (outcome === 'moderate' ? `moderate ${JSON.stringify(moderators)}` : outcome);

/** The moderators of this list: a template's placeholders filled from its parts, like `member of`. */
function moderatorsOf(moderators: Moderators, list: ListDefinition): DecisionModerators {
  return moderators.kind === 'owners' ? moderators : { kind: 'list', address: memberOfAddress(moderators.template, list) };
}

/** Why an unverified sender is refused, and how to be verified: the 550's text. */
function unverifiedReason(list: ListDefinition, shown: string, domain: string, doing: string, context: DecisionContext): string {
  const { language } = list;
  const dmarc = context.dmarc === undefined ? '' : t(language, 'dmarcResult', { result: context.dmarc });
  return t(language, 'unverified', { sender: shown, doing, dmarc, domain: domain || t(language, 'itsDomain') });
}

/** A rule tried, in the decision's details: "rule 1 (liste/liste.charter:40): allow if ...: does not apply". */
function triedRule(language: Language, index: number, rule: RightsRule, result: 'applies' | 'unknown' | 'misses'): string {
  const outcome = describeOutcome(rule.outcome, rule.moderators, language);
  return t(language, 'tried', { n: index + 1, source: rule.source, outcome, condition: describeCondition(rule.condition, language), result });
}

function mentionsEmptySender(c: Condition): boolean {
  switch (c.kind) {
    case 'empty-sender':
      return true;
    case 'named':
    case 'not':
      return mentionsEmptySender(c.condition);
    case 'all':
    case 'any':
      return c.conditions.some(mentionsEmptySender);
    default:
      return false;
  }
}

const NO_CONTEXT: DecisionContext = Object.freeze({});
const NO_LISTS: ReadonlySet<string> = new Set();

/** The context as conditions compare it: results in lower case, a blank user as no user. */
function normaliseContext(context: DecisionContext): DecisionContext {
  if (Object.values(context).every((value) => value === undefined)) return NO_CONTEXT;
  const normalised: DecisionContext = {};
  const user = context.authenticatedUser?.trim();
  if (user) normalised.authenticatedUser = user;
  for (const method of ['dkim', 'spf', 'dmarc'] as const) {
    const result = context[method]?.trim().toLowerCase();
    if (result) normalised[method] = result;
  }
  if (context.verified !== undefined) normalised.verified = context.verified;
  if (context.beforeMessage) normalised.beforeMessage = true;
  return normalised;
}
