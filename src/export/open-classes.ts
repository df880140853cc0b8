import { tokenLanguage } from '../charter/enumerate.js';
import type { Family } from '../charter/family.js';
import type { CompiledAlternative, CompiledItem } from '../charter/model.js';

/** A token class enumeration cannot list (no bounds), and the directory attribute its alternative filters with the matched text. */
export interface OpenClass {
  /** The class's id, as `enumerate` takes values for it. */
  id: string;
  /** The regular expression, for messages. */
  source: string;
  attribute: string;
}

/**
 * The open token classes of a family that the directory can fill: those that are an alternative on
 * their own whose filter is `(ATTRIBUTE={text})` (`<town> ::= /[a-z-]+/ filter (l={text})`), so that
 * each value of ATTRIBUTE in the directory is a name that has entries. Pure: the values are read elsewhere.
 */
export function openClasses(family: Family): OpenClass[] {
  const found = new Map<string, OpenClass>();
  const visitAlternative = (alt: CompiledAlternative): void => {
    const only = alt.items.length === 1 ? alt.items[0] : undefined;
    if (only?.type === 'token-class' && tokenLanguage(only.source, only.bounds) === undefined) {
      const attribute = textAttribute(alt);
      if (attribute !== undefined) found.set(only.id, { id: only.id, source: only.source, attribute });
    }
    for (const item of alt.items) visitItem(item);
  };
  const visitItem = (item: CompiledItem): void => {
    if (item.type === 'optional') for (const alt of item.alternatives) visitAlternative(alt);
    else if (item.type === 'repeat') visitItem(item.item);
  };
  for (const rule of family.rules) for (const alt of rule.alternatives) visitAlternative(alt);
  return [...found.values()];
}

/** The attribute of a filter `(ATTRIBUTE={text})`, the text maybe transformed (directory values compare without case). */
function textAttribute(alt: CompiledAlternative): string | undefined {
  const filter = alt.filter;
  if (filter?.op !== 'equal' || filter.value.length !== 1) return undefined;
  const [piece] = filter.value;
  return typeof piece === 'object' && piece.part === 'text' && piece.field === undefined ? filter.attribute : undefined;
}
