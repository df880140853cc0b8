import type { ListDefinition } from '../../charter/list.js';
import { ACTIONS, type Action } from '../../charter/rights.js';
import type { Decision, DecisionContext, Verdict } from '../../rights/index.js';
import { commandServices } from '../setup.js';
import { EXIT, UsageError, out, reportError, type Command } from '../command.js';
import { labels, say } from '../messages.js';

/**
 * The exit code of each decision; deny and defer are sysexits' EX_NOPERM and EX_TEMPFAIL, as an MTA
 * reads them. `pending` (the message decides) only comes to a front asking before the message.
 */
export const DECISION_EXIT: Record<Verdict, number> = { allow: EXIT.ok, deny: 77, defer: EXIT.temporary, pending: EXIT.temporary, moderate: EXIT.ok };

export const rights: Command = {
  name: 'rights',
  summary: 'may a sender do an action on a list, and why',
  usage: `autolist rights ADDRESS ACTION SENDER [--json] [--authenticated USER] [--dkim RESULT] [--spf RESULT] [--dmarc RESULT] [--unverified]

Decides whether SENDER may do ACTION (${ACTIONS.join(', ')}) on the list
ADDRESS by the rules of its family, and prints the decision, the rule that decided and each
condition checked. SENDER is an address as in the envelope: case, a +tag and <...> do not
matter; "" or "<>" is the empty sender of a bounce. What the front knows of the sender goes in
the options: the SMTP AUTH user (--authenticated), the DKIM, SPF and DMARC results (pass,
fail, ...). The decision is the one for a verified sender (as autolist's SMTP front takes mail
from an authenticated owner of the address, a trusted client, or with DMARC passing for it);
--unverified decides for a sender nobody vouches for, as the front does for any other client:
a family saying "senders verified" refuses it (--authenticated USER still verifies it when USER
owns the address).

  --json   the decision as JSON: decision, list, action, sender, rule, reasons

Exit codes: 0 allow, or moderate (the message is taken and held until a moderator approves it); 77 deny; 75 defer (the directory could not answer: try again later);
1 the address names no list, or the directory refused autolist; 2 bad command line.`,
  options: {
    json: { type: 'boolean' },
    authenticated: { type: 'string' },
    dkim: { type: 'string' },
    spf: { type: 'string' },
    dmarc: { type: 'string' },
    unverified: { type: 'boolean' },
  },
  async run(values, positionals) {
    if (positionals.length !== 3) throw new UsageError(say('usage.rights'));
    const [address, actionText, sender] = positionals as [string, string, string];
    const action = actionText.toLowerCase();
    if (!isAction(action)) throw new UsageError(say('usage.unknown-action', { action: actionText, actions: ACTIONS.join(', ') }));
    const context = contextOf(values);
    const services = await commandServices();
    try {
      let list: ListDefinition;
      try {
        list = services.catalog.resolver.resolve(address);
      } catch (error) {
        return reportError('rights', error, values.json === true, address);
      }
      const decision = await services.rights.decide(list, action, sender, context);
      out(values.json ? JSON.stringify(decision, null, 2) : formatDecision(decision));
      return DECISION_EXIT[decision.decision];
    } finally {
      await services.close();
    }
  },
};

function isAction(text: string): text is Action {
  return (ACTIONS as readonly string[]).includes(text);
}

function contextOf(values: Record<string, string | boolean | undefined>): DecisionContext {
  const context: DecisionContext = {};
  if (typeof values.authenticated === 'string') context.authenticatedUser = values.authenticated;
  if (typeof values.dkim === 'string') context.dkim = values.dkim;
  if (typeof values.spf === 'string') context.spf = values.spf;
  if (typeof values.dmarc === 'string') context.dmarc = values.dmarc;
  if (values.unverified === true) context.verified = false;
  return context;
}

function formatDecision(d: Decision): string {
  const [first = '', ...trace] = d.reasons;
  // The first reason ends with what decided, which the trace below it gives again: said once.
  const rest = trace.filter((reason) => !first.endsWith(reason));
  const names = labels('rights.labels');
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const row = (i: number, value: string): string => `${(names[i] as string).padEnd(width)}${value}`;
  return [
    row(0, d.decision),
    row(1, d.list),
    row(2, d.action),
    row(3, d.sender === '' ? say('rights.empty-sender') : d.sender),
    row(4, d.rule),
    row(5, first),
    ...rest.map((r) => ' '.repeat(width) + r),
  ].join('\n');
}
