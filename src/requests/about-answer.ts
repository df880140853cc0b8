import { rightsSummary } from '../charter/describe.js';
import type { ListDefinition } from '../charter/list.js';
import type { Action } from '../charter/rights.js';
import { roleAddress } from '../recipients/index.js';
import type { RobotAnswer } from './context.js';
import { t } from './messages.js';

const ACTIONS = ['send', 'review', 'subscribe', 'unsubscribe'] as const satisfies readonly Action[];

/** The answer to mail that asks nothing the robot knows (or `help`): what the list is, who may do what, how to join or leave it. */
export function aboutAnswer(list: ListDefinition): RobotAnswer {
  const { language } = list;
  const request = roleAddress(list, 'request');
  const rights = rightsSummary(list.rights, list.language);
  const open = (['subscribe', 'unsubscribe'] as const).filter((action) => mayEverAllow(list, action));
  const how = open.length === 0 ? [t(language, 'about.closed')] : [...open.map((action) => t(language, `about.${action}`, { request })), t(language, 'about.confirm')];
  return {
    subject: t(language, 'about.subject', { list: list.address }),
    paragraphs: [
      `${list.address}: ${list.description || list.name}`,
      [t(language, 'about.members'), ...how].join(' '),
      ACTIONS.map((action) => t(language, 'about.right', { action: t(language, `action.${action}`), rules: rights[action] })).join('\r\n'),
    ],
  };
}

/** Whether the family's rules for the action can let anyone do it: not closed, and a rule or the default allows. */
export function mayEverAllow(list: ListDefinition, action: Action): boolean {
  const rules = list.rights[action];
  return !rules.closed && (rules.otherwise === 'allow' || rules.rules.some((rule) => rule.outcome === 'allow'));
}
