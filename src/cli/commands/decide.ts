import { shownDate } from '../../i18n/index.js';
import { AlreadyDecidedError, heldView, shownDecider, type Verdict } from '../../moderation/index.js';
import { openModeration } from '../../smtp/index.js';
import { HeldNotFoundError } from '../../store/held/index.js';
import { EXIT, UsageError, err, out, reportError, type Command } from '../command.js';
import { language, say } from '../messages.js';
import { commandServices } from '../setup.js';

const COMMON = `Decides as an administrator (by "admin", as POST /v1/held/{id}/approve and /reject do) on the
held message ID (autolist held LIST gives the ids), in the store autolist serve keeps them in
(files under AUTOLIST_RELAY_STATE_DIR/held, or Redis when AUTOLIST_REDIS_URL is set). The first
decision counts, whoever takes it (a moderator's link or reply, an administrator): a later one
changes nothing and is told who decided first, and when (exit 3).`;

const EXITS = `Exit codes: 0 decided; 3 already decided (by whom and when on standard error, or the
ALREADY_DECIDED error with --json); 1 no such held message; 75 the store or the relay does not
answer (a decision taken stays taken: autolist serve's sweep carries it out).`;

/** `autolist approve` or `autolist reject`: one decision on a held message, carried out before the command ends. */
function decideCommand(name: 'approve' | 'reject'): Command {
  return {
    name,
    summary: name === 'approve' ? 'approve a held message: it goes to every member of its list once' : 'reject a held message: its author is told, with the reason',
    usage:
      name === 'approve'
        ? `autolist approve ID [--json]

${COMMON}
An approved message goes out at once to every member of its list, as any message to the list
(its headers, the members less exclusions plus additions), through the relay (AUTOLIST_RELAY_URL,
or the outbox) and its delivery records: each member gets it once, whoever approves it and
however often it is tried.

  --json   the decision as JSON: id, state, decision (state, by, at)

${EXITS}`
        : `autolist reject ID [--reason TEXT] [--json]

${COMMON}
The author of a rejected message (its envelope sender) is told, in the list's language, with
the reason when one is given; nobody else gets it.

  --reason TEXT   why, for the author
  --json          the decision as JSON: id, state, decision (state, by, at, reason)

${EXITS}`,
    options: name === 'approve' ? { json: { type: 'boolean' } } : { json: { type: 'boolean' }, reason: { type: 'string' } },
    async run(values, positionals) {
      if (positionals.length !== 1) throw new UsageError(say('usage.one', { command: name, argument: 'ID' }));
      const id = positionals[0] as string;
      const reason = typeof values.reason === 'string' ? values.reason : undefined;
      const verdict: Verdict = name === 'approve' ? { state: 'approved' } : { state: 'rejected', ...(reason === undefined ? {} : { reason }) };
      const json = values.json === true;
      const services = await commandServices();
      let opened: Awaited<ReturnType<typeof openModeration>> | undefined;
      try {
        // As the admin routes do: an unknown id opens no relay.
        const found = await services.held.get(id);
        if (found === undefined) throw new HeldNotFoundError(`no held message ${id}`);
        opened = await openModeration(services);
        const view = heldView(await opened.moderation.decideFirst(id, verdict, 'admin'));
        if (json) out(JSON.stringify({ id, state: view.state, decision: view.decision }, null, 2));
        else if (name === 'approve') out(say('held.approved', { id, list: view.list }));
        else out(say('held.rejected', { id, sender: view.sender || '<>', reason: view.decision?.reason === undefined ? 'none' : 'given' }));
        return EXIT.ok;
      } catch (error) {
        if (error instanceof AlreadyDecidedError) return alreadyDecided(name, error, json);
        if (error instanceof HeldNotFoundError && !json) {
          err(`autolist ${name}: ${say('held.not-found', { id })}`);
          return EXIT.input;
        }
        return reportError(name, error, json);
      } finally {
        await opened?.close();
        await services.close();
      }
    },
  };
}

/** Who decided first, and when: the ALREADY_DECIDED error as JSON, or in words. */
function alreadyDecided(name: string, error: AlreadyDecidedError, json: boolean): number {
  const { state, by, at } = error.decision;
  if (json) out(JSON.stringify(error.toJSON(), null, 2));
  else err(`autolist ${name}: ${say('held.already', { id: error.id, state, by: shownDecider(language, by), at: shownDate(language, at) })}`);
  return EXIT.decided;
}

export const approve = decideCommand('approve');
export const reject = decideCommand('reject');
