import { LRUCache } from 'lru-cache';
import { describeCondition } from '../charter/describe.js';
import type { ListDefinition } from '../charter/list.js';
import type { Action, ActionRules, Condition } from '../charter/rights.js';
import type { Entry } from '../directory/directory.js';
import { AutolistError } from '../errors.js';
import type { Logger } from '../log.js';
import { normaliseSender } from '../membership/index.js';
import { evaluate, type Subject } from './conditions.js';
import type { Decision, DecisionContext, EntryMatcher, SenderDirectory } from './types.js';

export interface RightsOptions {
  /** Resolves another charter address (for `member of` conditions); follows family reloads. */
  resolve: (address: string) => ListDefinition;
  directory: SenderDirectory;
  matches: EntryMatcher;
  /** How long a decision is reused, in seconds (default 30); defers are never cached. */
  ttlSeconds?: number;
  /** Decisions kept (default 100,000). */
  maxEntries?: number;
  logger?: Logger;
}

/**
 * Answers "may SENDER do ACTION on LIST?" from the family's rules: allow or deny with the chain
 * of reasons, or defer when the directory could not answer (never for a plain no).
 */
export class Rights {
  private readonly cache: LRUCache<string, Decision>;
  private readonly stats = { decisions: 0, cached: 0, allow: 0, deny: 0, defer: 0 };

  constructor(private readonly options: RightsOptions) {
    this.cache = new LRUCache({ max: options.maxEntries ?? 100_000, ttl: (options.ttlSeconds ?? 30) * 1000 });
  }

  async decide(list: ListDefinition, action: Action, rawSender: string, context: DecisionContext = {}): Promise<Decision> {
    const normalised = normaliseSender(rawSender);
    // Empty means a bounce (`<>`); text that is no address is kept as written and matches no one.
    const sender = normalised?.address ?? (isEmptySender(rawSender) ? '' : rawSender.trim().toLowerCase());
    const key = `${list.address}\n${list.filterText}\n${action}\n${sender}\n${context.authenticatedUser ?? ''}\n${context.dkim ?? ''}\n${context.spf ?? ''}`;
    this.stats.decisions++;
    const cached = this.cache.get(key);
    if (cached) {
      this.stats.cached++;
      this.stats[cached.decision]++;
      return cached;
    }
    const decision = await this.decideUncached(list, action, sender, normalised?.domain ?? '', context);
    this.stats[decision.decision]++;
    if (decision.decision !== 'defer') this.cache.set(key, decision);
    return decision;
  }

  /** Forgets cached decisions: all of them, or those about one list. */
  invalidate(listAddress?: string): void {
    if (listAddress === undefined) return this.cache.clear();
    for (const key of this.cache.keys()) if (key.startsWith(`${listAddress}\n`)) this.cache.delete(key);
  }

  counters(): Readonly<typeof this.stats> {
    return { ...this.stats };
  }

  private async decideUncached(list: ListDefinition, action: Action, sender: string, domain: string, context: DecisionContext): Promise<Decision> {
    const rules: ActionRules = list.rights[action];
    const base = { list: list.address, action, sender };
    const shown = sender === '' ? 'the empty sender' : sender;
    if (rules.closed) {
      return { ...base, decision: 'deny', rule: 'closed', reasons: [`${action} is closed on ${list.address}: nobody may`] };
    }
    if (sender === '' && action === 'send' && !rules.rules.some((r) => mentionsEmptySender(r.condition))) {
      return { ...base, decision: 'deny', rule: 'empty-sender', reasons: [`the empty sender (a bounce) may not send to ${list.address}: no rule of the family allows it`] };
    }
    let entry: Promise<Entry | null> | undefined;
    const subject: Subject = {
      list,
      sender,
      domain,
      context,
      entry: () => (entry ??= sender === '' ? Promise.resolve(null) : this.options.directory.findSender(sender, list.directory)),
      isMember: (l) => this.options.directory.isMember(l, sender),
      resolve: (address) => {
        try {
          return this.options.resolve(address);
        } catch (error) {
          if (error instanceof AutolistError) return error.message;
          throw error;
        }
      },
      matches: this.options.matches,
    };
    const details: string[] = [];
    try {
      for (const [index, rule] of rules.rules.entries()) {
        const evaluation = await evaluate(rule.condition, subject);
        details.push(...evaluation.reasons);
        if (!evaluation.value) continue;
        const verb = rule.outcome === 'allow' ? 'may' : 'may not';
        const summary = `${shown} ${verb} ${action} on ${list.address}: rule ${index + 1} (${rule.outcome} if ${describeCondition(rule.condition)}) applies`;
        return { ...base, decision: rule.outcome, rule: rule.source, reasons: [summary, ...details] };
      }
    } catch (error) {
      if (!(error instanceof AutolistError)) throw error;
      this.options.logger?.warn({ err: error, list: list.address, action }, 'rights deferred: the directory could not answer');
      return { ...base, decision: 'defer', rule: 'directory', reasons: [`the directory could not answer (${error.code}): ${error.message}; try again later`, ...details] };
    }
    const verb = rules.otherwise === 'allow' ? 'may' : 'may not';
    const last = details[details.length - 1];
    const summary = `${shown} ${verb} ${action} on ${list.address}: no rule applies, so ${rules.otherwise}${last ? ` (${last})` : ''}`;
    return { ...base, decision: rules.otherwise, rule: 'otherwise', reasons: [summary, ...details] };
  }
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

function isEmptySender(raw: string): boolean {
  const text = raw.trim();
  return text === '' || text === '<>';
}
