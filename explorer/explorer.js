// The list explorer: an address field that completes as you type, the list it names (description,
// filter, rights, member count and first members), and two questions about it: may this sender
// do this, and is this person a member (and why).
import { el, get, segment } from './api.js';
import { failure, followFamily, inLanguage, t } from './i18n.js';
import { startPage } from './page.js';

const FIRST_MEMBERS = 20;
const $ = (id) => document.getElementById(id);

let current; // the address shown
let shown = {}; // the last answers, to redraw them in another language

function showStatus(text) {
  $('status').textContent = text;
}

// ---- completion (WAI-ARIA combobox with a listbox popup) ----

let suggestTimer;
let active = -1;

function options() {
  return [...$('suggestions').querySelectorAll('[role="option"]')];
}

function closeSuggestions() {
  $('suggestions').hidden = true;
  $('address').setAttribute('aria-expanded', 'false');
  $('address').removeAttribute('aria-activedescendant');
  active = -1;
}

function highlight(index) {
  const all = options();
  if (all.length === 0) return;
  active = (index + all.length) % all.length;
  all.forEach((o, i) => {
    o.setAttribute('aria-selected', String(i === active));
  });
  $('address').setAttribute('aria-activedescendant', all[active].id);
  all[active].scrollIntoView({ block: 'nearest' });
}

function choose(option) {
  $('address').value = option.dataset.address;
  closeSuggestions();
  if (option.dataset.complete === 'true') show(option.dataset.address);
  else suggest();
  $('address').focus();
}

async function suggest() {
  const q = $('address').value;
  if (q.trim() === '') return closeSuggestions();
  const { ok, data } = await get(`/v1/suggest?q=${encodeURIComponent(q)}&limit=10`);
  if (!ok || q !== $('address').value) return;
  const list = $('suggestions');
  list.replaceChildren(
    ...data.completions.map((c, i) => {
      const option = el('li');
      option.id = `suggestion-${i}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.dataset.address = c.address;
      option.dataset.complete = String(c.complete);
      option.append(el('span', c.address, 'address'));
      if (c.description) option.append(el('span', c.description, 'help'));
      option.addEventListener('mousedown', (event) => {
        event.preventDefault();
        choose(option);
      });
      return option;
    }),
  );
  const any = data.completions.length > 0;
  list.hidden = !any;
  $('address').setAttribute('aria-expanded', String(any));
  active = -1;
}

$('address').addEventListener('input', () => {
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(suggest, 150);
});
$('address').addEventListener('keydown', (event) => {
  const open = !$('suggestions').hidden;
  if (event.key === 'ArrowDown') {
    event.preventDefault();
    if (open) highlight(active + 1);
    else suggest();
  } else if (event.key === 'ArrowUp' && open) {
    event.preventDefault();
    highlight(active - 1);
  } else if (event.key === 'Enter' && open && active >= 0) {
    event.preventDefault();
    choose(options()[active]);
  } else if (event.key === 'Escape' && open) {
    closeSuggestions();
  }
});
$('address').addEventListener('blur', () => setTimeout(closeSuggestions, 100));

// ---- the list ----

$('lookup').addEventListener('submit', (event) => {
  event.preventDefault();
  closeSuggestions();
  show($('address').value.trim());
});

async function show(address) {
  if (address === '') return;
  current = address;
  shown = {};
  history.replaceState(null, '', `?address=${encodeURIComponent(address)}`);
  showStatus(t('loading'));
  $('decision').replaceChildren();
  $('membership').replaceChildren();
  const { ok, data } = await get(`/v1/lists/${segment(address)}`);
  if (address !== current) return;
  if (!ok) {
    shown.problem = data;
    drawProblem();
    $('list').hidden = true;
    showStatus($('problem-title').textContent);
    return;
  }
  shown.list = data;
  $('problem').hidden = true;
  // The page speaks the list's family's language unless the visitor chose one.
  followFamily(data.language);
  drawList();
  $('list').hidden = false;
  const members = await get(`/v1/lists/${segment(address)}/members?limit=${FIRST_MEMBERS}`);
  if (address !== current) return;
  shown.members = members;
  drawMembers();
  showStatus(`${data.address}: ${data.description}`);
}

function drawList() {
  const list = shown.list;
  $('list-title').textContent = list.address;
  $('description').textContent = list.description;
  $('family').textContent = list.family;
  $('subject').textContent = list.subject;
  $('filter').textContent = list.filter;
  $('rights').replaceChildren(...Object.entries(list.rights).flatMap(([action, text]) => [el('dt', t(action)), inLanguage(el('dd', text), list.language)]));
}

function drawMembers() {
  const { ok, data } = shown.members;
  if (!ok) {
    $('count').textContent = failure(data);
    $('freshness').textContent = '';
    $('first-members-title').textContent = '';
    $('members').replaceChildren();
    return;
  }
  $('count').textContent = t('memberCount', data.total);
  const notes = [data.fromCache ? t('fromCache', data.ageSeconds) : t('fresh')];
  if (data.stale) notes.push(t('stale'));
  if (data.unreachable > 0) notes.push(t('unreachable', data.unreachable));
  $('freshness').textContent = notes.join(' ');
  $('first-members-title').textContent = data.total === 0 ? t('noMembers') : data.total > data.members.length ? t('firstMembers', data.members.length) : '';
  $('members').replaceChildren(...data.members.map((m) => el('li', m)));
}

function drawProblem() {
  const p = shown.problem;
  $('problem').hidden = false;
  $('problem-title').textContent = p.code === 'NO_SUCH_LIST' ? t('noSuchList') : (p.title ?? t('error'));
  $('problem-detail').textContent = p.detail ?? '';
  $('problem-column').textContent = p.column ? t('column', p.column) : '';
  const expected = $('problem-expected');
  expected.replaceChildren();
  if (p.expected?.length) expected.append(el('p', t('expected')), listOf(p.expected.map((e) => el('code', e))));
  const suggestions = $('problem-suggestions');
  suggestions.replaceChildren();
  if (p.suggestions?.length) {
    const buttons = p.suggestions.map((s) => {
      const b = el('button', s, 'link');
      b.type = 'button';
      b.addEventListener('click', () => {
        $('address').value = s;
        show(s);
      });
      return b;
    });
    suggestions.append(el('p', t('didYouMean')), listOf(buttons));
  }
}

function listOf(items) {
  const ul = el('ul');
  ul.append(
    ...items.map((item) => {
      const li = el('li');
      li.append(item);
      return li;
    }),
  );
  return ul;
}

// ---- questions about the list shown ----

/** A form that asks the API `path()` about the list shown; `draw` shows the answer in the element `box` (again after a language switch). */
function question(form, box, path, draw) {
  $(form).addEventListener('submit', async (event) => {
    event.preventDefault();
    const url = path();
    if (url === undefined) return;
    shown[box] = { box, draw, answer: await get(url) };
    drawAnswer(shown[box]);
  });
}

function drawAnswer({ box, draw, answer }) {
  if (answer.ok) draw($(box), answer.data);
  else $(box).replaceChildren(el('p', failure(answer.data), 'problem'));
}

// May this sender ...? (the empty sender is a bounce's)
question(
  'decide',
  'decision',
  () => `/v1/lists/${segment(current)}/rights/${$('action').value}?sender=${encodeURIComponent($('sender').value.trim())}`,
  (box, data) => {
    const verdict = el('p', t(data.decision), `verdict ${data.decision}`);
    verdict.id = 'verdict';
    const reasons = inLanguage(listOf(data.reasons.map((r) => el('span', r))), shown.list?.language);
    reasons.id = 'reasons';
    box.replaceChildren(verdict, reasons, el('p', `${t('rule')}: ${data.rule}`, 'help'));
  },
);

// Is this person a member, and why?
question(
  'why',
  'membership',
  () => {
    const person = $('person').value.trim();
    return person === '' ? undefined : `/v1/lists/${segment(current)}/members/${segment(person)}`;
  },
  (box, data) => {
    const answer = el('p', `${data.address} ${data.member ? t('isMember') : t('isNotMember')}`, `verdict ${data.member ? 'allow' : 'deny'}`);
    const table = el('table');
    const head = el('tr');
    head.append(el('th', t('part')), el('th', t('filter')), el('th', t('satisfied')));
    table.append(head);
    for (const part of data.parts) {
      const row = el('tr');
      const filter = el('td');
      filter.append(el('code', part.filter));
      row.append(el('td', part.label), filter, el('td', part.satisfied ? t('yes') : t('no')));
      table.append(row);
    }
    box.replaceChildren(answer, table, listOf(data.reasons.map((r) => el('span', r))));
  },
);

// ---- page ----

function redraw() {
  if (shown.list) drawList();
  if (shown.members) drawMembers();
  if (shown.problem) drawProblem();
  if (shown.decision) drawAnswer(shown.decision);
  if (shown.membership) drawAnswer(shown.membership);
}

startPage(redraw, () => current && show(current));
const start = new URLSearchParams(location.search).get('address');
if (start) {
  $('address').value = start;
  show(start);
}
