import type { Language } from '../i18n/index.js';
import { t } from './describe-messages.js';
import type { ListDefinition } from './list.js';
import { ACTIONS, type Action, type ActionRules, type Condition, type Moderators, type Outcome, type RightsRules } from './rights.js';

/** A condition in words, as a list owner would read it, in `language`. */
export function describeCondition(c: Condition, language: Language = 'en'): string {
  const inner = (condition: Condition): string => describeCondition(condition, language);
  switch (c.kind) {
    case 'anyone':
      return t(language, 'anyone');
    case 'member':
      return t(language, 'member');
    case 'in-directory':
      return t(language, 'inDirectory');
    case 'sender-matches':
      return t(language, 'senderMatches', { filter: c.text });
    case 'member-of':
      return t(language, 'memberOf', { list: c.template });
    case 'domain':
      return t(language, 'domain', { domains: c.domains.join(t(language, 'or')) });
    case 'empty-sender':
      return t(language, 'emptySender');
    case 'authenticated':
      return t(language, 'authenticated');
    case 'dkim':
    case 'spf':
    case 'dmarc':
      return t(language, 'result', { method: c.kind.toUpperCase(), result: c.result });
    case 'named':
      return c.label === undefined ? t(language, 'named', { name: c.name, condition: inner(c.condition) }) : t(language, 'labelled', { name: c.name, label: c.label, condition: inner(c.condition) });
    case 'not':
      return t(language, 'not', { condition: inner(c.condition) });
    case 'all':
    case 'any':
      return t(language, c.kind, { conditions: c.conditions.map(inner).join('; ') });
  }
}

/** An action's rules in a sentence: "allow if ..., otherwise deny", or closed. */
export function describeActionRules(rules: ActionRules, language: Language = 'en'): string {
  if (rules.closed) return t(language, 'closed');
  const lines = rules.rules.map((r) => t(language, 'rule', { outcome: describeOutcome(r.outcome, r.moderators, language), condition: describeCondition(r.condition, language) }));
  return [...lines, t(language, 'otherwise', { outcome: describeOutcome(rules.otherwise, rules.otherwiseModerators, language) })].join(', ');
}

/** `allow`, `deny`, `moderate by @owners` or `moderate by "liste.chefs-{where}"`: in English as the charter says it. */
export function describeOutcome(outcome: Outcome, moderators: Moderators | undefined, language: Language = 'en'): string {
  if (outcome !== 'moderate' || moderators === undefined) return t(language, outcome);
  return moderators.kind === 'owners' ? t(language, 'moderateByOwners') : t(language, 'moderateByList', { list: moderators.template });
}

/** One sentence per action. */
export function rightsSummary(rights: RightsRules, language: Language = 'en'): Record<Action, string> {
  return Object.fromEntries(ACTIONS.map((a) => [a, describeActionRules(rights[a], language)])) as Record<Action, string>;
}

/** A list definition as plain JSON (the filter as RFC 4515 text, rights in words: the family's language unless told). */
export function listToJSON(list: ListDefinition, language: Language = list.language) {
  return {
    address: list.address,
    family: list.family,
    name: list.name,
    domain: list.domain,
    description: list.description,
    subject: list.subject,
    filter: list.filterText,
    params: list.params,
    language: list.language,
    rights: rightsSummary(list.rights, language),
    directory: list.directory,
    priority: list.priority,
    cacheTtlSeconds: list.cacheTtlSeconds,
  };
}
