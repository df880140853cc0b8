import type { Filter } from 'ldapts';
import { combine, fillValue, instantiate, type Placeholder, type ValueTemplate } from '../filter/index.js';
import type { EntryNode, ParseNode, RuleNode } from './model.js';

/** Reads the meaning of an address parse: its filter, its label, its parameters. */

export function filterOf(node: ParseNode): Filter | undefined {
  if (typeof node === 'string') return undefined;
  switch (node.k) {
    case 'token':
      return undefined;
    case 'entry':
      return node.entry.filter ? instantiate(node.entry.filter, (p) => placeholderValue(p, node)) : undefined;
    case 'repeat':
      return combine(node.item.combine === 'all' ? 'and' : 'or', node.items.map(filterOf));
    case 'rule':
    case 'group': {
      const template = node.alternative?.filter;
      if (template) return instantiate(template, (p) => placeholderValue(p, node));
      return combine('and', node.children.map(filterOf));
    }
  }
}

export function labelOf(node: ParseNode): string | undefined {
  if (typeof node === 'string') return undefined;
  switch (node.k) {
    case 'token':
      return node.text;
    case 'entry':
      return fill(node.entry.label, node);
    case 'repeat':
      return node.items
        .map((item, index) => ({ item, index, order: orderOf(item) }))
        .sort((a, b) => a.order - b.order || a.index - b.index)
        .map(({ item }) => labelOf(item))
        .filter((l): l is string => !!l)
        .join(' ');
    case 'rule':
    case 'group': {
      if (node.alternative === undefined) return '';
      if (node.alternative.label) return fill(node.alternative.label, node);
      const labels = node.children.map(labelOf).filter((l): l is string => l !== undefined && l !== '');
      return labels.length > 0 ? labels.join(' ') : node.text;
    }
  }
}

/** A lexicon's `order` column ranks the labels of a repetition (nouns before qualifiers, say). */
export function orderOf(node: ParseNode): number {
  if (typeof node === 'string') return 0;
  if (node.k === 'entry') return node.entry.order;
  if (node.k === 'rule' || node.k === 'group') {
    const meaningful = node.children.filter((c) => typeof c !== 'string');
    return meaningful.length === 1 ? orderOf(meaningful[0] as ParseNode) : 0;
  }
  return 0;
}

/** Fills a label or header template in the context of a node. */
export function fill(template: ValueTemplate, context: ParseNode): string {
  return fillValue(template, (p) => placeholderValue(p, context));
}

function placeholderValue(placeholder: Placeholder, context: ParseNode): string {
  if (placeholder.part === 'text') return placeholder.field === 'label' ? (labelOf(context) ?? '') : textOf(context);
  return partsNamed(context, placeholder.part)
    .map((part) => fieldOf(part, placeholder.field))
    .join(' ');
}

function textOf(node: ParseNode): string {
  return typeof node === 'string' ? node : node.text;
}

function fieldOf(part: RuleNode, field: string | undefined): string {
  if (field === undefined || field === 'text') return part.text;
  if (field === 'label') return labelOf(part) ?? '';
  const entry = firstEntry(part);
  return entry?.entry.entry.columns[field] ?? '';
}

/** The nodes a node is made of (none for literal text, tokens and lexicon entries). */
function childrenOf(node: ParseNode): readonly ParseNode[] {
  if (typeof node === 'string' || node.k === 'token' || node.k === 'entry') return [];
  return node.k === 'repeat' ? node.items : node.children;
}

function firstEntry(node: ParseNode): EntryNode | undefined {
  if (typeof node !== 'string' && node.k === 'entry') return node;
  for (const child of childrenOf(node)) {
    const found = firstEntry(child);
    if (found) return found;
  }
  return undefined;
}

/** The outermost parts of a node's subtree made by the rule `name` (several under a repetition). */
export function partsNamed(node: ParseNode, name: string): RuleNode[] {
  const found: RuleNode[] = [];
  const visit = (n: ParseNode): void => {
    if (typeof n !== 'string' && n.k === 'rule' && n.rule.name === name) found.push(n);
    else childrenOf(n).forEach(visit);
  };
  childrenOf(node).forEach(visit);
  return found;
}

/** The text each named part matched, for every rule under the root (a repeated part gives an array). */
export function paramsOf(root: RuleNode): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  const visit = (n: ParseNode): void => {
    if (typeof n !== 'string' && n.k === 'rule' && n !== root) {
      const previous = params[n.rule.name];
      if (previous === undefined) params[n.rule.name] = n.text;
      else params[n.rule.name] = Array.isArray(previous) ? [...previous, n.text] : [previous, n.text];
    }
    childrenOf(n).forEach(visit);
  };
  visit(root);
  return params;
}

/** A parse written out, to tell two derivations of one address apart: `<who>[<category>"chefs"]`. */
export function derivationOf(node: ParseNode): string {
  if (typeof node === 'string') return JSON.stringify(node);
  switch (node.k) {
    case 'token':
      return JSON.stringify(node.text);
    case 'entry':
      return `${node.entry.table}:${JSON.stringify(node.text)}`;
    case 'repeat':
      return `(${node.items.map(derivationOf).join(' ')})`;
    case 'group':
      return `[${node.children.map(derivationOf).join(' ')}]`;
    case 'rule':
      return `<${node.rule.name}>#${node.rule.alternatives.indexOf(node.alternative) + 1}{${node.children.map(derivationOf).join(' ')}}`;
  }
}
