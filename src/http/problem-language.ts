import { addressErrorText } from '../charter/address-messages.js';
import { AddressTooComplexError, NoSuchListError } from '../charter/errors.js';
import type { Family } from '../charter/family.js';
import { languageOfAddress } from '../charter/languages.js';

/**
 * The `detail` of a problem about an address that one family read (no such list, too complex to
 * read), in that family's language, like the SMTP reply refusing the same address; undefined for
 * any other problem, whose detail stays as the error says it.
 */
export function familyDetail(error: unknown, families: readonly Family[]): string | undefined {
  if (!(error instanceof NoSuchListError || error instanceof AddressTooComplexError)) return undefined;
  const address = error instanceof NoSuchListError ? error.address : '';
  const text = addressErrorText(error, address, languageOfAddress(families, address, error));
  // Capped as every problem's detail is.
  return text.length > 512 ? `${text.slice(0, 512)}…` : text;
}
