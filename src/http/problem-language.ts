import { addressErrorText } from '../charter/address-messages.js';
import { AddressTooComplexError, AddressTooLongError, NoSuchListError, UnknownDomainError } from '../charter/errors.js';
import type { Family } from '../charter/family.js';
import { languageOfAddress, siteLanguage } from '../charter/languages.js';
import type { Resolver } from '../charter/resolver.js';
import type { Language } from '../i18n/index.js';
import { RateLimitedError, rateLimitedText } from '../limits/index.js';
import { recipientLanguage } from '../recipients/index.js';

/**
 * The `detail` of a problem about an address: one a family read (no such list, too complex to
 * read) in that family's language, one of a domain no family serves or too long to read in the
 * site's, like the SMTP reply refusing the same address; undefined for any other problem, whose
 * detail stays as the error says it.
 */
export function addressDetail(error: unknown, families: readonly Family[], configured: Language | undefined): string | undefined {
  if (!(error instanceof NoSuchListError || error instanceof AddressTooComplexError || error instanceof UnknownDomainError || error instanceof AddressTooLongError)) return undefined;
  const address = error instanceof NoSuchListError ? error.address : error instanceof UnknownDomainError ? `@${error.domain}` : '';
  const text = addressErrorText(error, address, languageOfAddress(families, address, error, siteLanguage(families, configured)));
  // Capped as every problem's detail is.
  return text.length > 512 ? `${text.slice(0, 512)}…` : text;
}

/**
 * The `detail` of a RATE_LIMITED problem: in the language of the list the request's path names (a
 * route's `address` parameter is always a list's), as its route would answer, else in the site's
 * (AUTOLIST_LANGUAGE, else every family's when they agree); undefined for any other problem. The
 * route would have resolved that address first, and the resolver caches what it read: a refused
 * request costs no more than one served.
 */
export function rateLimitedDetail(error: unknown, params: unknown, resolver: Resolver, configured: Language | undefined): string | undefined {
  if (!(error instanceof RateLimitedError)) return undefined;
  const site = siteLanguage(resolver.families, configured);
  const list = (params as { address?: unknown } | undefined)?.address;
  return rateLimitedText(typeof list === 'string' ? recipientLanguage(resolver, site, list) : site, error);
}
