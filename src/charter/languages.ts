import type { AutolistError } from '../errors.js';
import type { Language } from '../i18n/index.js';
import { AddressTooComplexError, NoSuchListError } from './errors.js';
import type { Family } from './family.js';

/** The one language these families speak; `otherwise` (English) when they speak several, or when there are none. */
export function sharedLanguage(families: readonly Family[], otherwise: Language = 'en'): Language {
  const first = families[0]?.header.language;
  return first !== undefined && families.every((f) => f.header.language === first) ? first : otherwise;
}

/** The site's language: the one configured (AUTOLIST_LANGUAGE), else that of every family when they all speak one, else English. */
export function siteLanguage(families: readonly Family[], configured: Language | undefined): Language {
  return configured ?? sharedLanguage(families);
}

/**
 * The language to tell someone why an address names no list. A name that one family read furthest
 * (no such list) or could not read (too complex) is spoken of in that family's language. Otherwise
 * (an unknown domain, no address at all) in that of the families serving its domain when they all
 * speak one; else in the site's (siteLanguage: by default that of every family when they all speak
 * one, so that a site whose lists are all French answers in French; else English).
 */
export function languageOfAddress(families: readonly Family[], address: string, error: AutolistError | undefined, site: Language): Language {
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
  return serving.length > 0 ? sharedLanguage(serving, site) : site;
}
