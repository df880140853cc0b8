import { type HeldView, heldView } from '../../moderation/index.js';
import { EXIT, UsageError, out, reportError, type Command } from '../command.js';
import { labels, say } from '../messages.js';
import { commandServices } from '../setup.js';
import { columns, moment } from '../table.js';

/** Characters of a subject shown in the table (--json gives it whole). */
const SUBJECT_CHARS = 60;

export const held: Command = {
  name: 'held',
  summary: 'the messages of a list that wait for a moderator',
  usage: `autolist held ADDRESS [--json]

Prints the messages sent to the list ADDRESS that wait for a moderator's decision (its rights
say "moderate by"), oldest first: each one's id (for autolist approve and autolist reject), its
envelope sender, its subject, when it was received and when it expires (UTC), and its state.
They are read from the store: files under AUTOLIST_RELAY_STATE_DIR/held, or Redis when
AUTOLIST_REDIS_URL is set.

  --json   the messages as GET /v1/lists/{address}/held gives them: id, list, sender, from,
           subject, date, the start of the text, heldAt, expiresAt, state

Exits 1 when the address names no list, 75 when the store does not answer.`,
  options: { json: { type: 'boolean' } },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError(say('usage.one', { command: 'held', argument: 'ADDRESS' }));
    const address = positionals[0] as string;
    const services = await commandServices();
    try {
      const list = services.catalog.resolver.resolve(address);
      const messages = (await services.held.waiting(list.address)).map((m) => heldView(m));
      if (values.json) out(JSON.stringify({ list: list.address, messages }, null, 2));
      else out(messages.length === 0 ? say('held.none', { list: list.address }) : table(messages));
      return EXIT.ok;
    } catch (error) {
      return reportError('held', error, values.json === true, address);
    } finally {
      await services.close();
    }
  },
};

function table(messages: HeldView[]): string {
  const subject = (text: string): string => {
    if (text === '') return say('held.no-subject');
    const chars = [...text];
    return chars.length > SUBJECT_CHARS ? `${chars.slice(0, SUBJECT_CHARS - 1).join('')}…` : text;
  };
  return columns([labels('held.labels'), ...messages.map((m) => [m.id, m.sender || '<>', subject(m.subject), moment(m.heldAt), moment(m.expiresAt), say('held.state', { state: m.state })])]);
}
