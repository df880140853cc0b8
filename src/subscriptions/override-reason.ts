import type { ListDefinition } from '../charter/list.js';
import { shownDate } from '../i18n/index.js';
import { t } from './messages.js';
import type { Override } from './subscriptions.js';

/** What the person's exclusion or addition does to whether they are a member of the list, in its family's language. */
export function overrideReason(list: ListDefinition, override: Override): string {
  const { language } = list;
  const said = { address: override.address, list: list.address, at: shownDate(language, new Date(override.at)), how: t(language, 'how', { how: override.how }), rule: override.rule };
  if (override.kind === 'exclusion') return t(language, 'excluded', said);
  return t(language, override.admitted ? 'added' : 'notAdmitted', said);
}
