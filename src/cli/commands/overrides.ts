import { normaliseSender } from '../../address/sender-address.js';
import type { Override } from '../../subscriptions/index.js';
import { EXIT, UsageError, err, out, reportError, type Command } from '../command.js';
import { labels, say } from '../messages.js';
import { commandServices } from '../setup.js';
import { columns, moment } from '../table.js';

export const overrides: Command = {
  name: 'overrides',
  summary: 'the exclusions and additions of a list (who unsubscribed, who subscribed); --undo one',
  usage: `autolist overrides ADDRESS [--json] [--undo MAIL]

Prints who unsubscribed from the list ADDRESS (exclusions: members of the directory's list who
get no mail) and who subscribed to it (additions: people beyond it whom the family's subscribe
rules admit), by address: the kind, when (UTC), how (a confirmed mail to LIST-request, or the
one-click link) and the rule that allowed it; an addition the rules no longer admit says so (it
counts for nothing until they do). They are read from the store: files under
AUTOLIST_RELAY_STATE_DIR/opt, or Redis when AUTOLIST_REDIS_URL is set.

  --undo MAIL   undoes MAIL's exclusion or addition, as DELETE /v1/lists/{address}/overrides/{mail}
                does: whether MAIL is a member is the directory's alone again (exit 1 when MAIL has none)
  --json        as GET /v1/lists/{address}/overrides gives them (with --undo: what was undone)

Exits 1 when the address names no list, 75 when the store or the directory does not answer.`,
  options: { json: { type: 'boolean' }, undo: { type: 'string' } },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError(say('usage.one', { command: 'overrides', argument: 'ADDRESS' }));
    const address = positionals[0] as string;
    const person = typeof values.undo === 'string' ? normaliseSender(values.undo)?.address : undefined;
    if (values.undo !== undefined && person === undefined) throw new UsageError(say('usage.person', { option: 'undo' }));
    const json = values.json === true;
    const services = await commandServices();
    try {
      const list = services.catalog.resolver.resolve(address);
      if (person !== undefined) {
        const undone = await services.subscriptions.undoOverride(list, person);
        if (json) out(JSON.stringify({ list: list.address, address: person, undone: undone ?? null }, null, 2));
        if (undone === undefined) {
          if (!json) err(`autolist overrides: ${say('overrides.not-found', { address: person, list: list.address })}`);
          return EXIT.input;
        }
        if (!json) out(say('overrides.undone', { kind: undone.kind, address: undone.address, list: list.address }));
        return EXIT.ok;
      }
      const found = await services.subscriptions.overrides(list);
      if (json) out(JSON.stringify({ list: list.address, overrides: found }, null, 2));
      else out(found.length === 0 ? say('overrides.none', { list: list.address }) : table(found));
      return EXIT.ok;
    } catch (error) {
      return reportError('overrides', error, json, address);
    } finally {
      await services.close();
    }
  },
};

function table(found: Override[]): string {
  return columns([
    labels('overrides.labels'),
    ...found.map((o) => [o.address, say('overrides.kind', { kind: o.kind, admitted: o.admitted ? 'yes' : 'no' }), moment(o.at), say('overrides.how', { how: o.how }), o.rule]),
  ]);
}
