import type { Resolver } from './resolver.js';
import { AutolistError } from '../errors.js';

export interface Completion {
  /** A full list address (`complete`), or a longer prefix of one. */
  address: string;
  complete: boolean;
  /** The list's description, for complete addresses. */
  description?: string;
}

/** Characters that continue the word being typed (a literal or lexicon word starts after any other). */
const WORD = /[a-z0-9]/;
/** Longest typed start of a word looked at: bounds the work for long input. */
const MAX_TYPED = 64;

/**
 * Completions of a partial address, for address fields: the literals and lexicon words the
 * charters accept where the text stops (`liste.ch` gives `liste.chefs`, `liste.chefs.` the
 * categories, ...), the texts of token classes few enough to list (`liste.chefs-5` gives
 * `liste.chefs-50` to `liste.chefs-59`), and the full addresses it already spells. Words come
 * before token texts, so that a département's 94 numbers do not hide the regions; open token
 * classes (towns) are left to the typist.
 */
export function completions(resolver: Resolver, partial: string, limit: number): Completion[] {
  const text = partial.trim().toLowerCase();
  const at = text.lastIndexOf('@');
  const local = at < 0 ? text : text.slice(0, at);
  const domainStart = at < 0 ? '' : text.slice(at + 1);
  const found = new Map<string, Completion>();
  // Addresses completed from a token class's texts, sorted after the words.
  const fromTokens = new Set<string>();
  const add = (address: string, complete: boolean, fromToken = false): void => {
    if (found.has(address)) return;
    if (fromToken) fromTokens.add(address);
    const completion: Completion = { address, complete };
    if (complete) {
      try {
        completion.description = resolver.resolve(address).description;
      } catch (error) {
        if (!(error instanceof AutolistError)) throw error;
        return;
      }
    }
    found.set(address, completion);
  };

  for (const family of resolver.families) {
    const domains = family.header.domains.filter((d) => d.startsWith(domainStart));
    if (domains.length === 0) continue;
    if (family.isName(local)) for (const d of domains) add(`${local}@${d}`, true);
    if (at >= 0) continue;
    let start = local.length;
    while (start > 0 && local.length - start < MAX_TYPED && WORD.test(local[start - 1] as string)) start--;
    for (let k = start; k <= local.length; k++) {
      const typed = local.slice(k);
      const { words, tokens } = family.continuationsAfter(local.slice(0, k));
      for (const { word, fromToken } of [...words.map((word) => ({ word, fromToken: false })), ...tokens.map((word) => ({ word, fromToken: true }))]) {
        if (!word.startsWith(typed) || word === typed) continue;
        const longer = local.slice(0, k) + word;
        if (family.isName(longer)) for (const d of domains) add(`${longer}@${d}`, true, fromToken);
        else if (family.startsName(longer)) add(longer, false, fromToken);
      }
    }
  }
  const rank = (c: Completion): number => (c.complete ? 0 : 2) + (fromTokens.has(c.address) ? 1 : 0);
  return [...found.values()].sort((a, b) => rank(a) - rank(b) || a.address.length - b.address.length || a.address.localeCompare(b.address)).slice(0, limit);
}
