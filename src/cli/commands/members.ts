import { once } from 'node:events';
import type { MemberSet } from '../../membership/index.js';
import { commandServices } from '../setup.js';
import { EXIT, UsageError, out, reportError, type Command } from '../command.js';
import { say } from '../messages.js';
import { COUNT, withProgress } from '../progress.js';

/** Addresses written at a time. */
const CHUNK = 1000;

export const members: Command = {
  name: 'members',
  summary: 'list the members of a list: the directory’s, less exclusions, plus additions',
  usage: `autolist members ADDRESS [--json | --count]

Prints the members of the list ADDRESS names, one address a line, as mail to the list goes to
them: the member attribute of each directory entry the list's filter matches (as the directory
writes it with the domain in lower case; each once whatever its case, sorted without case), less
those who unsubscribed (exclusions), plus those who subscribed (additions) whom the family's
subscribe rules still admit (autolist overrides ADDRESS lists both). --count prints how many there are;
--json prints them counted, with the entries matched, those without an address (unreachable)
and when the directory was read.

The directory is LDAP when AUTOLIST_LDAP_URL is set, else the embedded LDIF directory
(AUTOLIST_DIRECTORY_LDIF, by default the demo directory). A directory that is down or too slow exits 75: try again later.`,
  options: { json: { type: 'boolean' }, count: { type: 'boolean' } },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError(say('usage.one', { command: 'members', argument: 'ADDRESS' }));
    const services = await commandServices();
    try {
      const list = services.catalog.resolver.resolve(positionals[0] as string);
      let entriesRead = 0;
      const expansion = services.subscriptions.members(list, { onProgress: (count) => (entriesRead = count) });
      const set = await withProgress(`expanding ${list.address}`, () => `${COUNT.format(entriesRead)} ${entriesRead === 1 ? 'entry' : 'entries'}`, expansion);
      if (values.json)
        out(
          JSON.stringify(
            values.count ? { address: list.address, count: set.members.length, ...details(set) } : { address: list.address, total: set.members.length, members: set.members, ...details(set) },
            null,
            2,
          ),
        );
      else if (values.count) out(String(set.members.length));
      else await print(set.members);
      return EXIT.ok;
    } catch (error) {
      return reportError('members', error, values.json === true, positionals[0]);
    } finally {
      await services.close();
    }
  },
};

function details(set: MemberSet): Record<string, unknown> {
  return { entries: set.entries, unreachable: set.unreachable, fromCache: set.fromCache, stale: set.stale, fetchedAt: set.fetchedAt.toISOString() };
}

/** Writes the addresses one a line, a chunk at a time, waiting when standard output is full. */
async function print(addresses: readonly string[]): Promise<void> {
  let chunk = '';
  let lines = 0;
  for (const address of addresses) {
    chunk += `${address}\n`;
    if (++lines % CHUNK === 0) {
      if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
      chunk = '';
    }
  }
  if (chunk !== '') process.stdout.write(chunk);
}
