import type { AutolistError } from '../errors.js';
import type { Language } from '../i18n/index.js';
import { AddressTooComplexError, NoSuchListError } from './errors.js';
import type { Family } from './family.js';

/** The one language these families speak; English when they speak several, or when there are none. */
export function sharedLanguage(families: readonly Family[]): Language {
  const first = families[0]?.header.language;
  return first !== undefined && families.every((f) => f.header.language === first) ? first : 'en';
}

/**
 * The language to tell someone why an address names no list. A name that one family read furthest
 * (no such list) or could not read (too complex) is spoken of in that family's language. Otherwise
 * (an unknown domain, no address at all) in that of the families serving its domain when they all
 * speak one; for a domain no family serves, in that of every family when they all speak one (a
 * site whose lists are all French answers in French); else English.
 */
export function languageOfAddress(families: readonly Family[], address: string, error?: AutolistError): Language {
  const reader = error instanceof NoSuchListError ? error.failure.family : error instanceof AddressTooComplexError ? error.family : undefined;
  const family = reader === undefined ? undefined : families.find((f) => f.name === reader);
  if (family !== undefined) return family.header.language;
  const bare = address.trim().replace(/^<(.*)>$/, '$1');
  const at = bare.lastIndexOf('@');
  const domain =
    at < 0
      ? ''
      : bare
          .slice(at + 1)
          .toLowerCase()
          .replace(/\.$/, '');
  const serving = families.filter((f) => f.header.domains.includes(domain));
  return sharedLanguage(serving.length > 0 ? serving : families);
}
