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
