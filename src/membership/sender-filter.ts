import { EqualityFilter, OrFilter, type Filter } from 'ldapts';
import type { DirectorySettings } from '../charter/list.js';

/** The attributes that hold a person's addresses: the member attribute, then the alternates, each once. */
function addressAttributes(settings: DirectorySettings): string[] {
  const seen = new Set<string>();
  const attributes: string[] = [];
  for (const attribute of [settings.memberAttribute, ...settings.alternateAddressAttributes]) {
    const name = attribute.toLowerCase();
    if (seen.has(name)) continue;
    seen.add(name);
    attributes.push(attribute);
  }
  return attributes;
}

/** Active Directory's proxyAddresses holds `smtp:ADDRESS` (`SMTP:` for the primary one; matched without case). */
function addressValue(attribute: string, address: string): string {
  return attribute.toLowerCase() === 'proxyaddresses' ? `smtp:${address}` : address;
}

/**
 * `(|(mail=ADDRESS)(mailLocalAddress=ADDRESS)...)`, built as an AST: the address is a value, escaped
 * whenever the filter is printed or sent, never filter syntax.
 */
export function senderFilter(address: string, settings: DirectorySettings): Filter {
  const filters = addressAttributes(settings).map((attribute) => new EqualityFilter({ attribute, value: addressValue(attribute, address) }));
  const [only] = filters;
  return filters.length === 1 && only ? only : new OrFilter({ filters });
}
