import railroad from 'railroad-diagrams';
import { describeBounds, type Family } from '../charter/family.js';
import type { CompiledAlternative, CompiledItem } from '../charter/model.js';

type Item = ReturnType<typeof railroad.Terminal>;

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/** One rule's railroad diagram. */
export interface RuleDiagram {
  rule: string;
  /** An `<svg class="railroad-diagram">` element, written by railroad-diagrams (which escapes the text it draws). */
  svg: string;
}

/** The railroad diagram of each rule of a compiled family, in the charter's order (the address first). */
export function railroadDiagrams(family: Family): RuleDiagram[] {
  // The namespace lets the page parse the markup as SVG (DOMParser) rather than insert it as HTML.
  return family.rules.map((rule) => ({ rule: rule.name, svg: railroad.Diagram(choice(rule.alternatives)).toString().replace('<svg ', `<svg xmlns="${SVG_NAMESPACE}" `) }));
}

function choice(alternatives: CompiledAlternative[]): Item {
  const items = alternatives.map(sequence);
  return items.length === 1 ? (items[0] as Item) : railroad.Choice(0, ...items);
}

function sequence(alternative: CompiledAlternative): Item {
  const items = alternative.items.map(item);
  return items.length === 1 ? (items[0] as Item) : railroad.Sequence(...items);
}

/** Literals and token classes are what an address spells (terminals); rules and tables are named (non-terminals). */
function item(part: CompiledItem): Item {
  switch (part.type) {
    case 'literal':
      return railroad.Terminal(part.value);
    case 'reference':
      return railroad.NonTerminal(`<${part.name}>`);
    case 'token-class':
      return railroad.Terminal(`/${part.source}/${part.bounds.length > 0 ? ` in ${describeBounds(part.bounds)}` : ''}`);
    case 'table':
      return railroad.NonTerminal(`table ${part.name}`);
    case 'optional':
      return railroad.Optional(choice(part.alternatives));
    case 'repeat': {
      const loop = railroad.OneOrMore(item(part.item), railroad.Terminal(part.separator));
      // What the loop refuses, as the charter says it: its exclusive words and its order.
      const notes = [...part.exclusive.map((set) => `exclusive ${set.join(', ')}`), ...(part.order === 'canonical' ? ['in canonical order'] : [])];
      return notes.length === 0 ? loop : railroad.Sequence(loop, ...notes.map((note) => railroad.Comment(note)));
    }
  }
}
