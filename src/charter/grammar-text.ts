import { describeBounds, type Family } from './family.js';
import type { CompiledAlternative, CompiledItem, CompiledRule } from './model.js';
import type { FilterTemplate, ValueTemplate } from '../filter/index.js';

/** A family's grammar written back in charter notation, one rule at a time, for people to read. */
export interface RuleText {
  name: string;
  /** `<who> ::= 'personnels'  filter (objectClass=inetOrgPerson)  label "personnels"`, then `| ...`, one alternative a line. */
  text: string;
}

export function grammarText(family: Family): RuleText[] {
  return family.rules.map(ruleText);
}

/** The entries of each lexicon the grammar uses: token, label and filter as the table gives them. */
export function lexiconsOf(family: Family): Record<string, Array<{ token: string; label: string; filter: string }>> {
  const tables: Record<string, Array<{ token: string; label: string; filter: string }>> = {};
  const visit = (item: CompiledItem): void => {
    if (item.type === 'table') tables[item.name] ??= item.entries.map(({ entry }) => ({ token: entry.token, label: entry.label, filter: entry.filter }));
    if (item.type === 'optional') for (const a of item.alternatives) a.items.forEach(visit);
    if (item.type === 'repeat') visit(item.item);
  };
  for (const rule of family.rules) for (const alt of rule.alternatives) alt.items.forEach(visit);
  return tables;
}

function ruleText(rule: CompiledRule): RuleText {
  const head = `<${rule.name}> ::= `;
  const lines = rule.alternatives.map((alt, i) => `${i === 0 ? head : `${' '.repeat(head.length - 2)}| `}${alternativeText(alt)}`);
  return { name: rule.name, text: lines.join('\n') };
}

function alternativeText(alt: CompiledAlternative): string {
  const parts = [alt.items.map(itemText).join(' ')];
  if (alt.filter) parts.push(`filter ${filterTemplateText(alt.filter)}`);
  if (alt.label) parts.push(`label "${labelText(alt.label)}"`);
  return parts.join('  ');
}

function itemText(item: CompiledItem): string {
  switch (item.type) {
    case 'literal':
      return `'${item.value}'`;
    case 'reference':
      return `<${item.name}>`;
    case 'token-class':
      return `/${item.source}/${item.bounds.length > 0 ? ` in ${describeBounds(item.bounds)}` : ''}`;
    case 'table':
      return `table ${item.name}`;
    case 'optional':
      return `[ ${item.alternatives.map(alternativeText).join(' | ')} ]`;
    case 'repeat':
      return [
        `${itemText(item.item)}+ separated by '${item.separator}' matching ${item.combine}`,
        ...item.exclusive.map((set) => `exclusive ${set.join(', ')}`),
        ...(item.order === 'canonical' ? ['in canonical order'] : []),
      ].join(' ');
  }
}

const OPERATORS = { equal: '=', approx: '~=', ge: '>=', le: '<=' } as const;

/** A filter template in RFC 4515 notation, placeholders as written in the charter. */
function filterTemplateText(t: FilterTemplate): string {
  switch (t.op) {
    case 'and':
    case 'or':
      return `(${t.op === 'and' ? '&' : '|'}${t.filters.map(filterTemplateText).join('')})`;
    case 'not':
      return `(!${filterTemplateText(t.filter)})`;
    case 'present':
      return `(${t.attribute}=*)`;
    case 'substring':
      return `(${t.attribute}=${[t.initial, ...t.any, t.final].map(filterValueText).join('*')})`;
    default:
      return `(${t.attribute}${OPERATORS[t.op]}${filterValueText(t.value)})`;
  }
}

function filterValueText(value: ValueTemplate): string {
  return value.map((p) => (typeof p === 'string' ? p.replace(/[*()\\\0{}]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : p.source)).join('');
}

/** A label or header template as written in the charter. */
export function labelText(value: ValueTemplate): string {
  return value.map((p) => (typeof p === 'string' ? p.replace(/[{}]/g, '$&$&') : p.source)).join('');
}
