import { basename, dirname } from 'node:path';
import { parseFilter, parseTextTemplate, type Placeholder } from '../filter/index.js';
import type { Problems } from './problems.js';
import { ACTIONS, type Action, type ActionRules, type Condition, type Moderators, type NamedCondition, type Outcome, type RightsRules } from './rights.js';
import type { ConditionStatement, ConditionSyntax, OutcomeSyntax, Position, RightsStatement, Text } from './syntax.js';

const AUTH_RESULTS = ['pass', 'fail', 'none', 'neutral', 'softfail', 'temperror', 'permerror'];

/** Conditions defined once under a name (families/conditions.charter and the charter's own). */
export type NamedConditions = Map<string, NamedCondition>;

export interface ConditionScope {
  named: NamedConditions;
  /** Checks a `member of` template's placeholders; absent where no grammar is in scope (shared conditions). */
  checkPlaceholder?: (p: Placeholder, at: Position) => void;
}

export function compileCondition(syntax: ConditionSyntax, scope: ConditionScope, problems: Problems): Condition {
  switch (syntax.kind) {
    case 'anyone':
    case 'member':
    case 'in-directory':
    case 'empty-sender':
    case 'authenticated':
      return { kind: syntax.kind };
    case 'not':
      return { kind: 'not', condition: compileCondition(syntax.condition, scope, problems) };
    case 'all':
    case 'any':
      return { kind: syntax.kind, conditions: syntax.conditions.map((c) => compileCondition(c, scope, problems)) };
    case 'sender-matches': {
      const filter = problems.guard(syntax.filter, () => parseFilter(syntax.filter.value));
      return filter ? { kind: 'sender-matches', filter, text: filter.toString() } : { kind: 'anyone' };
    }
    case 'member-of': {
      const template = syntax.template;
      const parsed = problems.guard({ line: template.line, col: template.col + 1 }, () => parseTextTemplate(template.value));
      for (const piece of parsed ?? []) {
        if (typeof piece === 'string') continue;
        if (scope.checkPlaceholder) scope.checkPlaceholder(piece, template);
        else problems.add(template, { key: 'condition.shared-placeholder', values: { placeholder: piece.source } });
      }
      return { kind: 'member-of', template: template.value };
    }
    case 'domain':
      return { kind: 'domain', domains: syntax.domains.map((d) => d.value.toLowerCase()) };
    case 'dkim':
    case 'spf':
    case 'dmarc': {
      const result = syntax.result.value.toLowerCase();
      if (!AUTH_RESULTS.includes(result)) problems.add(syntax.result, { key: 'condition.result', values: { kind: syntax.kind, results: AUTH_RESULTS } });
      return { kind: syntax.kind, result };
    }
    case 'named': {
      const named = scope.named.get(syntax.name.value);
      if (!named) {
        problems.add(syntax.name, { key: 'condition.unknown', values: { name: syntax.name.value } });
        return { kind: 'anyone' };
      }
      return named;
    }
  }
}

/** Adds `condition NAME = ... [label "..."]` statements to a set of named conditions. */
export function compileNamedConditions(statements: ConditionStatement[], scope: ConditionScope, problems: Problems): void {
  for (const s of statements) {
    if (scope.named.has(s.name.value)) {
      problems.add(s.name, { key: 'condition.repeated', values: { name: s.name.value } });
      continue;
    }
    const named: NamedCondition = { kind: 'named', name: s.name.value, condition: compileCondition(s.condition, scope, problems) };
    const label = s.label ? compileLabel(s.label, problems) : undefined;
    if (label !== undefined) named.label = label;
    scope.named.set(s.name.value, named);
  }
}

/** A condition's label: words that follow "sender x@y is" and "is not", as written (spaces tidied). */
function compileLabel(label: Text, problems: Problems): string | undefined {
  const words = label.value.trim().replace(/\s+/g, ' ');
  // The string's content starts after its opening quote.
  const at = { line: label.line, col: label.col + 1 };
  if (words === '') problems.add(at, { key: 'condition.label-empty' });
  else if (/[{}]/.test(words)) problems.add(at, { key: 'condition.label-placeholder' });
  else return words;
  return undefined;
}

/** The rights of every action; an action the charter does not mention is denied to everyone. */
export function compileRights(statements: RightsStatement[], scope: ConditionScope, problems: Problems): RightsRules {
  const rights = Object.fromEntries(ACTIONS.map((a) => [a, { rules: [], otherwise: 'deny', closed: false }])) as unknown as RightsRules;
  const seen = new Map<string, number>();
  for (const s of statements) {
    const action = s.action.value.toLowerCase();
    if (!(ACTIONS as readonly string[]).includes(action)) {
      problems.add(s.action, { key: 'rights.unknown-action', values: { action: s.action.value, actions: ACTIONS } });
      continue;
    }
    const previous = seen.get(action);
    if (previous !== undefined) {
      problems.add(s, { key: 'rights.repeated', values: { action, line: previous } });
      continue;
    }
    seen.set(action, s.line);
    const rules: ActionRules = {
      closed: s.closed,
      otherwise: s.otherwise ? outcome(s.otherwise) : 'deny',
      rules: s.rules.map((r) => ({
        outcome: outcome(r.outcome),
        ...moderatedBy(action, r.outcome, scope, problems),
        condition: compileCondition(r.condition, scope, problems),
        source: `${ruleFile(problems.file)}:${r.outcome.line}`,
      })),
    };
    const otherwise = s.otherwise === undefined ? undefined : moderatedBy(action, s.otherwise, scope, problems).moderators;
    if (otherwise !== undefined) rules.otherwiseModerators = otherwise;
    rights[action as Action] = rules;
  }
  return rights;
}

function outcome(text: Text): Outcome {
  return text.value === 'allow' || text.value === 'moderate' ? text.value : 'deny';
}

/** What a moderated list's address may hold once its placeholders are filled: a local part, or a whole address. */
const MODERATORS_ADDRESS = /^[a-z0-9!#$%&'*+/=?^_`|~.-]+(@[a-z0-9-]+(\.[a-z0-9-]+)*)?$/i;

/** `moderate by @owners` or `moderate by "liste.chefs-{where}"`: only for send; the template's placeholders checked like `member of`'s. */
function moderatedBy(action: string, syntax: OutcomeSyntax, scope: ConditionScope, problems: Problems): { moderators?: Moderators } {
  const target = syntax.moderators;
  if (target === undefined) return {};
  if (action !== 'send') problems.add(syntax, { key: 'rights.moderate-not-send', values: { action } });
  if (!target.quoted) {
    if (target.value !== 'owners') problems.add(target, { key: 'rights.moderators', values: { name: target.value } });
    return { moderators: { kind: 'owners' } };
  }
  // The string's content starts after its opening quote.
  const at = { line: target.line, col: target.col + 1 };
  const parsed = problems.guard(at, () => parseTextTemplate(target.value));
  if (parsed === undefined) return { moderators: { kind: 'list', template: target.value } };
  for (const piece of parsed) if (typeof piece !== 'string') scope.checkPlaceholder?.(piece, target);
  const sample = parsed.map((piece) => (typeof piece === 'string' ? piece : 'x')).join('');
  if (!MODERATORS_ADDRESS.test(sample)) problems.add(at, { key: 'rights.moderators-address', values: { template: target.value } });
  return { moderators: { kind: 'list', template: target.value } };
}

/** `liste/liste.charter`: where a rule stands, named without the server's folders (decisions are shown to clients). */
function ruleFile(file: string): string {
  const folder = basename(dirname(file));
  return folder === '' || folder === '.' ? basename(file) : `${folder}/${basename(file)}`;
}
