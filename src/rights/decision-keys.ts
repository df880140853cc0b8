import { LRUCache } from 'lru-cache';
import type { ListDefinition } from '../charter/list.js';
import type { Action, RightsRules } from '../charter/rights.js';
import type { DecisionContext } from './types.js';

/** Definitions and contexts remembered; one forgotten only costs its decisions being made again. */
const MAX_INTERNED = 10_000;

/**
 * Keys of the decisions cache: `LIST\nACTION\nCONTEXT\nONLY\nSENDER`, where LIST is a number per list
 * definition (the same for the same address, filter and rules; another one when a family reload
 * changes them), CONTEXT a number per context and ONLY one per set of lists read from the directory alone. Short, so that a hit hashes little; the sender,
 * the only free text, comes last, so that no sender can spell another key.
 */
export class DecisionKeys {
  private readonly lists = new WeakMap<ListDefinition, number>();
  private readonly rules = new WeakMap<RightsRules, number>();
  private readonly interned = new LRUCache<string, number>({ max: MAX_INTERNED });
  private issued = 0;

  key(list: ListDefinition, action: Action, context: DecisionContext, sender: string, directoryOnly: ReadonlySet<string>): string {
    const only = directoryOnly.size === 0 ? 0 : this.intern(`only\n${[...directoryOnly].sort().join('\n')}`);
    return `${this.listId(list)}\n${action}\n${this.contextId(context)}\n${only}\n${sender}`;
  }

  /** A definition the resolver already handed out costs one WeakMap lookup. */
  private listId(list: ListDefinition): number {
    let id = this.lists.get(list);
    if (id === undefined) {
      let rules = this.rules.get(list.rights);
      if (rules === undefined) this.rules.set(list.rights, (rules = ++this.issued));
      id = this.intern(`list\n${list.address}\n${list.filterText}\n${rules}`);
      this.lists.set(list, id);
    }
    return id;
  }

  private contextId(context: DecisionContext): number {
    const { authenticatedUser, dkim, spf, dmarc, verified, beforeMessage } = context;
    if (Object.values(context).every((value) => value === undefined)) return 0;
    return this.intern(`context\n${JSON.stringify([authenticatedUser ?? null, dkim ?? null, spf ?? null, dmarc ?? null, verified ?? null, beforeMessage ?? null])}`);
  }

  private intern(text: string): number {
    let id = this.interned.get(text);
    if (id === undefined) this.interned.set(text, (id = ++this.issued));
    return id;
  }
}
