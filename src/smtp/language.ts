import { languageOfAddress } from '../charter/languages.js';
import type { Resolver } from '../charter/resolver.js';
import { AutolistError } from '../errors.js';
import type { Language } from '../i18n/index.js';
import type { Target } from './recipient.js';

/**
 * The language of what the front says about a transaction (its size, its loops, its defers, a
 * rate, too many errors): that of its lists when they share one; before any list is named, or for
 * lists of several languages, the site's.
 */
export function transactionLanguage(site: Language, targets: readonly Target[] = []): Language {
  const languages = new Set(targets.map((target) => target.list.language));
  const [only] = languages;
  return languages.size === 1 && only !== undefined ? only : site;
}

/**
 * The language of a reply to RCPT given before the recipient is checked (a rate): its list's, or
 * for an address that names none, that of the family that read it or of its domain, else the
 * site's, as the recipient check would say. The resolver caches what it read.
 */
export function recipientLanguage(resolver: Resolver, site: Language, recipient: string): Language {
  try {
    return resolver.resolve(recipient).language;
  } catch (error) {
    return languageOfAddress(resolver.families, recipient, error instanceof AutolistError ? error : undefined, site);
  }
}
