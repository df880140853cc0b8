// What every explorer page does at start: its words in the visitor's language, the language
// switch, the token form, and the navigation link of the page marked current.
import { tokenForm } from './api.js';
import { languageSwitch, translate } from './i18n.js';

/** `redraw` draws what the page shows again (after a language switch); `again` asks again (once a token is given). */
export function startPage(redraw, again) {
  translate();
  languageSwitch(document.getElementById('language'), redraw);
  tokenForm(document.getElementById('token'), again);
  for (const link of document.querySelectorAll('nav a')) {
    if (link.getAttribute('href') === location.pathname) link.setAttribute('aria-current', 'page');
  }
}
