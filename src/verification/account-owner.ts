import { normaliseSender } from '../address/sender-address.js';
import type { DirectorySettings } from '../charter/list.js';
import type { Entry } from '../directory/directory.js';
import { addressesOf } from '../membership/member-addresses.js';

/** The attribute holding a person's login: an authenticated user names its entry by it. */
const LOGIN_ATTRIBUTE = 'uid';

/** An address as senders are compared: normalised, or the text itself when it is no address. */
function comparable(text: string): string {
  return normaliseSender(text)?.address ?? text.trim().toLowerCase();
}

/**
 * Whether an authenticated user (SMTP AUTH, Postfix's sasl_username) owns the sender address: the
 * user is the address itself (a login named after it), or names the sender's directory entry, by
 * its `uid` or by one of its addresses (member attribute or alternates, proxyAddresses without
 * `smtp:`). `entry` is the sender's entry, found by its address; null when it has none.
 */
export function userOwnsSender(user: string, sender: string, entry: Entry | null, settings: DirectorySettings): boolean {
  const login = comparable(user);
  if (login === '' || sender === '') return false;
  if (login === sender) return true;
  if (entry === null) return false;
  const uid = user.trim().toLowerCase();
  if (addressesOf(entry, LOGIN_ATTRIBUTE).some((value) => value.toLowerCase() === uid)) return true;
  return [settings.memberAttribute, ...settings.alternateAddressAttributes].some((attribute) => addressesOf(entry, attribute).some((value) => comparable(value.replace(/^smtp:/, '')) === login));
}
