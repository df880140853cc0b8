import type { ListDefinition } from '../charter/list.js';
import type { OptOutcome } from '../subscriptions/index.js';
import { defineMessages } from '../i18n/index.js';
import { escapeHtml } from './html.js';

/** The one-click unsubscribe pages' words, in each family language. */
const t = defineMessages({
  en: {
    title: 'Unsubscribe from {list}',
    ask: 'Stop receiving the mail of {list} ({description}) at {address}?',
    button: 'Unsubscribe',
    excluded: '{address} is unsubscribed from {list}: no further mail from it will come. To come back, write “subscribe” to {request}.',
    unchanged: '{address} is not a member of {list}: nothing to do.',
    refused: '{address} may not unsubscribe from {list}: {reason}.',
    deferred: 'This cannot be checked now: the directory could not answer. Please try again later.',
  },
  fr: {
    title: 'Se désabonner de {list}',
    ask: 'Ne plus recevoir les messages de {list} ({description}) à l’adresse {address} ?',
    button: 'Me désabonner',
    excluded: '{address} est désabonné de {list} : aucun message n’en viendra plus. Pour revenir, écrivez « abonnement » à {request}.',
    unchanged: '{address} n’est pas membre de {list} : rien à faire.',
    refused: '{address} ne peut se désabonner de {list} : {reason}.',
    deferred: 'Ceci ne peut être vérifié maintenant : l’annuaire n’a pas pu répondre. Réessayez plus tard.',
  },
});

function page(list: ListDefinition, body: string): string {
  const title = escapeHtml(t(list.language, 'title', { list: list.address }));
  return `<!doctype html>\n<html lang="${list.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>\n`;
}

/** The page a GET of the link shows: what a click would do, and the button that does it (a POST). Nothing is done by the GET. */
export function askPage(list: ListDefinition, address: string): string {
  const values = { list: list.address, description: list.description || list.name, address };
  return page(
    list,
    `<p>${escapeHtml(t(list.language, 'ask', values))}</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(t(list.language, 'button'))}</button></form>`,
  );
}

/** The page that says what the POST did. */
export function donePage(list: ListDefinition, address: string, request: string, outcome: OptOutcome): string {
  const values = { list: list.address, address, request };
  let text: string;
  if (outcome.result === 'excluded' || outcome.result === 'left') text = t(list.language, 'excluded', values);
  else if (outcome.result === 'refused') text = t(list.language, 'refused', { ...values, reason: outcome.decision.reasons[0] ?? outcome.decision.rule });
  else if (outcome.result === 'deferred') text = t(list.language, 'deferred');
  else text = t(list.language, 'unchanged', values);
  return page(list, `<p>${escapeHtml(text)}</p>`);
}
