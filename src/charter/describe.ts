import type { ListDefinition } from './list.js';
import { ACTIONS, type Action, type ActionRules, type Condition, type Moderators, type Outcome, type RightsRules } from './rights.js';

/** A condition in words, as a list owner would read it. */
export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case 'anyone':
      return 'anyone';
    case 'member':
      return 'the sender is a member of the list';
    case 'in-directory':
      return 'the sender is in the directory';
    case 'sender-matches':
      return `the sender's entry matches ${c.text}`;
    case 'member-of':
      return `the sender is a member of ${c.template}`;
    case 'domain':
      return `the sender's domain is ${c.domains.join(' or ')}`;
    case 'empty-sender':
      return 'the sender is empty (a bounce)';
    case 'authenticated':
      return 'the sender is authenticated';
    case 'dkim':
    case 'spf':
    case 'dmarc':
      return `${c.kind.toUpperCase()} is ${c.result}`;
    case 'named':
      return c.label === undefined ? `${c.name} (${describeCondition(c.condition)})` : `${c.name} (the sender is ${c.label}: ${describeCondition(c.condition)})`;
    case 'not':
      return `not (${describeCondition(c.condition)})`;
    case 'all':
    case 'any':
      return `${c.kind} of (${c.conditions.map(describeCondition).join('; ')})`;
  }
}

export function describeActionRules(rules: ActionRules): string {
  if (rules.closed) return 'closed';
  const lines = rules.rules.map((r) => `${describeOutcome(r.outcome, r.moderators)} if ${describeCondition(r.condition)}`);
  return [...lines, `otherwise ${describeOutcome(rules.otherwise, rules.otherwiseModerators)}`].join(', ');
}

/** `allow`, `deny`, `moderate by @owners` or `moderate by "liste.chefs-{where}"`, as the charter says it. */
export function describeOutcome(outcome: Outcome, moderators: Moderators | undefined): string {
  if (outcome !== 'moderate' || moderators === undefined) return outcome;
  return `moderate by ${moderators.kind === 'owners' ? '@owners' : `"${moderators.template}"`}`;
}

/** One sentence per action. */
export function rightsSummary(rights: RightsRules): Record<Action, string> {
  return Object.fromEntries(ACTIONS.map((a) => [a, describeActionRules(rights[a])])) as Record<Action, string>;
}

/** A list definition as plain JSON (the filter as RFC 4515 text, rights in words). */
export function listToJSON(list: ListDefinition) {
  return {
    address: list.address,
    family: list.family,
    name: list.name,
    domain: list.domain,
    description: list.description,
    subject: list.subject,
    filter: list.filterText,
    params: list.params,
    rights: rightsSummary(list.rights),
    directory: list.directory,
    priority: list.priority,
    cacheTtlSeconds: list.cacheTtlSeconds,
  };
}
