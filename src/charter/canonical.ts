import { type CompiledItem, type ParseNode, type RepeatNode, textOf } from './model.js';
import { orderOf } from './semantics.js';

/**
 * One list, one name: the items of a repetition are ranked, and a name is canonical when each of its
 * repetitions holds its items in rank order. The rank is the lexicon's `order` column, then where
 * the item stands in the charter (its alternative, its table's line), then its text.
 */

/** Negative when `a` comes before `b` in a repetition's canonical order. */
export function compareItems(a: ParseNode, b: ParseNode): number {
  const byOrder = orderOf(a) - orderOf(b);
  if (byOrder !== 0) return byOrder;
  const pa = placeOf(a);
  const pb = placeOf(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return (pa[i] as number) - (pb[i] as number);
  if (pa.length !== pb.length) return pa.length - pb.length;
  const ta = textOf(a);
  const tb = textOf(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/** Where a part stands in the charter: the alternatives chosen down to a lexicon entry, and its line. */
function placeOf(node: ParseNode): number[] {
  if (typeof node === 'string' || node.k === 'token' || node.k === 'repeat') return [];
  if (node.k === 'entry') return [node.entry.entry.line];
  const meaningful = node.children.find((c) => typeof c !== 'string');
  const alternative = node.k === 'rule' ? node.rule.alternatives.indexOf(node.alternative) : 0;
  return [alternative, ...(meaningful === undefined ? [] : placeOf(meaningful))];
}

/** A name spelled with each repetition's items in canonical order. */
export function canonicalText(node: ParseNode): string {
  if (typeof node === 'string') return node;
  switch (node.k) {
    case 'token':
    case 'entry':
      return node.text;
    case 'repeat':
      return [...node.items].sort(compareItems).map(canonicalText).join(node.item.separator);
    case 'rule':
    case 'group':
      return node.children.map(canonicalText).join('');
  }
}

/** Why an item cannot follow the items before it in a repetition: it repeats one, or one excludes it. */
export type Conflict = { kind: 'repeated'; token: string } | { kind: 'exclusive'; token: string; other: string };

/** What is wrong with adding `item` after `before` in the repetition `repeat`, if anything. */
export function conflictOf(repeat: Extract<CompiledItem, { type: 'repeat' }>, before: readonly ParseNode[], item: ParseNode): Conflict | undefined {
  const token = textOf(item);
  const texts = before.map(textOf);
  if (texts.includes(token)) return { kind: 'repeated', token };
  for (const set of repeat.exclusive) {
    if (!set.includes(token)) continue;
    const other = texts.find((t) => set.includes(t));
    if (other !== undefined) return { kind: 'exclusive', token, other };
  }
  return undefined;
}

/** An item out of canonical order: where it starts in the name, and the repetition's choice for other orders. */
export interface Misplaced {
  offset: number;
  order: RepeatNode['item']['order'];
}

/** Every item that comes before the previous one in rank, in the order of the name. */
export function misplacedItems(root: ParseNode): Misplaced[] {
  const found: Misplaced[] = [];
  const visit = (node: ParseNode, offset: number): void => {
    if (typeof node === 'string' || node.k === 'token' || node.k === 'entry') return;
    const parts = node.k === 'repeat' ? node.items : node.children;
    let at = offset;
    parts.forEach((part, i) => {
      if (node.k === 'repeat' && i > 0) {
        at += node.item.separator.length;
        if (compareItems(parts[i - 1] as ParseNode, part) > 0) found.push({ offset: at, order: node.item.order });
      }
      visit(part, at);
      at += textOf(part).length;
    });
  };
  visit(root, 0);
  return found;
}
