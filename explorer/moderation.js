// The moderation view, reached from the mail a moderator got: /moderation/TOKEN shows one held
// message, /moderation/list/TOKEN every message held for a list; each can be approved or rejected
// (with a reason). The token in the path is the right to decide (no admin token); it is sent to
// the capability API only, and the page sends no referrer. A held message's header and text come
// from whoever wrote it: they go in as text, never as HTML.
import { el, get, post, segment } from './api.js';
import { addStrings, failure, followFamily, inLanguage, language, t } from './i18n.js';
import { MODERATION_STRINGS } from './moderation-strings.js';
import { startPage } from './page.js';

addStrings(MODERATION_STRINGS);

const $ = (id) => document.getElementById(id);

/** `/moderation/TOKEN` or `/moderation/list/TOKEN`. */
const [, kind, ...rest] = location.pathname.split('/').filter(Boolean);
const listView = kind === 'list';
const token = decodeURIComponent((listView ? rest[0] : kind) ?? '');

/** A moment in the reader's language and time zone. */
function shownAt(iso) {
  return new Intl.DateTimeFormat(language() === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
}

function shownBy(by) {
  return by === 'admin' ? t('modAdministrator') : by;
}

/** What the link's problem means to its holder: invalid, expired, or a message no longer held. */
function linkProblem(data) {
  if (data.code === 'TOKEN_INVALID') return t('modInvalid');
  if (data.code === 'TOKEN_EXPIRED') return t('modLinkExpired');
  if (data.code === 'HELD_NOT_FOUND') return t('modGone');
  return failure(data);
}

async function load() {
  $('messages').replaceChildren();
  $('status').textContent = t('loading');
  const { ok, data } = await get(listView ? `/v1/moderation/lists/${segment(token)}` : `/v1/moderation/${segment(token)}`);
  if (!ok) {
    $('heading').textContent = t('modTitle');
    $('about').textContent = '';
    $('moderator').textContent = '';
    $('status').textContent = linkProblem(data);
    return;
  }
  followFamily(data.language);
  const list = listView ? data.list : data.message.list;
  $('heading').textContent = listView ? t('modListHeading', list) : t('modMessageHeading');
  inLanguage($('about'), data.language).textContent = t('modAbout', list, data.description);
  $('moderator').textContent = t('modAs', data.moderator);
  const messages = listView ? data.messages : [data.message];
  $('status').textContent = messages.length === 0 ? t('modNone') : '';
  $('messages').replaceChildren(...messages.map((message) => article(message, listView ? message.token : token)));
}

/** One held message: its header, its text, and its decision or the form to take one. */
function article(message, messageToken, late = false) {
  const box = el('article', undefined, 'panel held');
  box.dataset.id = message.id;
  box.append(el('h2', message.subject || t('modNoSubject')));
  const facts = el('dl', undefined, 'facts');
  const fact = (key, value) => value && facts.append(el('dt', t(key)), el('dd', value));
  fact('modFrom', message.from);
  fact('modSender', message.sender || '<>');
  fact('modDate', message.date);
  fact('modHeldAt', shownAt(message.heldAt));
  if (message.state === 'held') fact('modUntil', shownAt(message.expiresAt));
  box.append(facts, el('h3', t('modText')), el('pre', message.text, 'text'));
  const outcome = el('p', undefined, `outcome ${message.state}`);
  outcome.setAttribute('role', 'status');
  box.append(outcome);
  if (message.state === 'held') box.append(decisionForm(message, messageToken, box));
  else box.append(...decisionLines(message.decision, late, outcome));
  return box;
}

/** The decision in words: who decided and when (or that another came first), and a rejection's reason. */
function decisionLines(decision, late, outcome) {
  if (decision.state === 'expired') {
    outcome.textContent = t('modExpired', shownAt(decision.at));
    return [];
  }
  const by = shownBy(decision.by);
  const at = shownAt(decision.at);
  outcome.textContent = late ? t('modLate', decision.state, by, at) : `${t('modDecided', decision.state, by, at)} ${t('modCarried', decision.state)}`;
  return decision.reason ? [el('p', t('modWhy', decision.reason))] : [];
}

function decisionForm(message, messageToken, box) {
  const form = el('form');
  const id = `reason-${message.id}`;
  const label = el('label', t('modReason'));
  label.htmlFor = id;
  const reason = el('textarea');
  Object.assign(reason, { id, rows: 3, maxLength: 2000 });
  const actions = el('div', undefined, 'actions');
  const approve = el('button', t('modApprove'));
  approve.type = 'submit';
  approve.value = 'approve';
  const reject = el('button', t('modReject'), 'reject');
  reject.type = 'submit';
  reject.value = 'reject';
  actions.append(approve, reject);
  const status = el('p');
  status.setAttribute('role', 'status');
  form.append(label, reason, actions, status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const decision = event.submitter?.value === 'reject' ? 'reject' : 'approve';
    for (const button of [approve, reject]) button.disabled = true;
    status.textContent = t('modSending');
    const text = reason.value.trim();
    const body = decision === 'reject' && text !== '' ? { decision, reason: text } : { decision };
    const { ok, data } = await post(`/v1/moderation/${segment(messageToken)}`, body);
    if (ok) return box.replaceWith(article({ ...message, state: data.state, decision: data.decision }, messageToken));
    if (data.code === 'ALREADY_DECIDED') {
      const first = { state: data.state, by: data.decidedBy, at: data.decidedAt };
      return box.replaceWith(article({ ...message, state: data.state, decision: first }, messageToken, true));
    }
    for (const button of [approve, reject]) button.disabled = false;
    status.textContent = linkProblem(data);
  });
  return form;
}

startPage(load, load);
load();
