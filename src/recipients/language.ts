import { languageOfAddress } from '../charter/languages.js';
import type { Resolver } from '../charter/resolver.js';
import { AutolistError } from '../errors.js';
import type { Language } from '../i18n/index.js';

/**
 * The language to speak of an address in before (or without) checking it: its list's, or for an
 * address that names none, that of the family that read it or of its domain, else the site's, as
 * the recipient check would say. For the SMTP front's rate refusing a RCPT, and the HTTP front's
 * 429 to a request whose path names a list. The resolver caches what it read.
 */
export function recipientLanguage(resolver: Resolver, site: Language, recipient: string): Language {
  try {
    return resolver.resolve(recipient).language;
  } catch (error) {
    return languageOfAddress(resolver.families, recipient, error instanceof AutolistError ? error : undefined, site);
  }
}
