// The charter studio: a family's charter and lexicons edited side by side, checked by the server's
// compiler as they are typed (diagnostics, the charter's tokens for highlighting, a railroad
// diagram of each rule), tried on the live directory, installed, and its kept versions restored.
// Every text shown comes from the admin's draft or the directory: it goes in as text, never as
// HTML; the diagrams are SVG the server's railroad-diagrams wrote, parsed as SVG, never as HTML.
import { el, get, post, segment } from './api.js';
import { addStrings, failure, t } from './i18n.js';
import { startPage } from './page.js';
import { STUDIO_STRINGS } from './studio-strings.js';

addStrings(STUDIO_STRINGS);

const $ = (id) => document.getElementById(id);
/** Wait this long after the last key before checking the draft. */
const CHECK_DELAY_MS = 250;

/** Lexicon editors by table name: { textarea, paint }. */
const lexicons = new Map();
let checkTimer;
let checked = 0; // the number of the last check sent: older answers are dropped
let last; // the last check's answer, to redraw it in another language
let lastTry;

// ---- editors: a transparent textarea over the <pre> it paints ----

function editor(textarea, paint, repaint) {
  textarea.addEventListener('input', () => {
    repaint();
    scheduleCheck();
  });
  textarea.addEventListener('scroll', () => {
    paint.scrollTop = textarea.scrollTop;
    paint.scrollLeft = textarea.scrollLeft;
  });
}

/** The charter painted with the tokens the server's lexer read, when they are of this very text. */
function paintCharter() {
  const text = $('charter').value;
  const pre = $('charter-paint');
  const tokens = last && last.text === text ? last.answer.tokens : [];
  const marks = new Set((last?.text === text ? last.answer.diagnostics : []).filter((d) => d.file === `${draft().name}.charter`).map((d) => offsetOf(text, d.line, d.col)));
  const nodes = [];
  let at = 0;
  for (const token of tokens) {
    if (token.at > at) nodes.push(plain(text.slice(at, token.at), marks, at));
    const span = el('span', text.slice(token.at, token.at + token.length), `t-${token.kind}`);
    if ([...marks].some((m) => m >= token.at && m < token.at + token.length)) span.classList.add('t-problem');
    nodes.push(span);
    at = token.at + token.length;
  }
  nodes.push(plain(text.slice(at), marks, at));
  // A last line end needs something after it to be drawn, as the textarea draws it.
  nodes.push('\n');
  pre.replaceChildren(...nodes);
}

/** Text outside tokens, with a problem's place marked. */
function plain(text, marks, from) {
  const mark = [...marks].find((m) => m >= from && m < from + text.length);
  if (mark === undefined) return document.createTextNode(text);
  const span = el('span', undefined);
  span.append(text.slice(0, mark - from), el('span', text.slice(mark - from, mark - from + 1) || ' ', 't-problem'), text.slice(mark - from + 1));
  return span;
}

function offsetOf(text, line, col) {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at + col - 1;
}

function addLexicon(name, text = '') {
  if (lexicons.has(name)) return lexicons.get(name).textarea.focus();
  const box = el('div', undefined, 'lexicon');
  const id = `lexicon-${name}`;
  const label = el('label', `${name}.tsv`);
  label.htmlFor = id;
  const remove = el('button', '×', 'quiet');
  remove.type = 'button';
  remove.setAttribute('aria-label', t('studioRemoveLexicon', name));
  remove.addEventListener('click', () => {
    lexicons.delete(name);
    box.remove();
    scheduleCheck();
  });
  const frame = el('div', undefined, 'editor small');
  const paint = el('pre');
  paint.setAttribute('aria-hidden', 'true');
  const textarea = el('textarea');
  Object.assign(textarea, { id, spellcheck: false, wrap: 'off', value: text });
  const repaint = () => paint.replaceChildren(textarea.value, '\n');
  editor(textarea, paint, repaint);
  repaint();
  frame.append(paint, textarea);
  const head = el('div', undefined, 'row');
  head.append(label, remove);
  box.append(head, frame);
  $('lexicons').append(box);
  lexicons.set(name, { textarea, paint, remove });
}

function draft() {
  return {
    name: $('family-name').value.trim(),
    charter: $('charter').value,
    lexicons: Object.fromEntries([...lexicons].map(([name, { textarea }]) => [name, textarea.value])),
  };
}

// ---- check as the admin types ----

function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, CHECK_DELAY_MS);
}

async function check() {
  const body = draft();
  if (!$('family-name').checkValidity() || body.name === '') {
    $('check-status').textContent = t('studioNeedName');
    return;
  }
  const number = ++checked;
  $('check-status').textContent = t('studioChecking');
  const { ok, status, data } = await post('/v1/studio/check', body);
  if (number !== checked) return;
  if (!ok) return problem(status, data, $('check-status'));
  last = { text: body.charter, answer: data };
  drawCheck();
}

function drawCheck() {
  paintCharter();
  if (!last) return;
  const { diagnostics, railroad, ok } = last.answer;
  $('check-status').textContent = ok ? t('studioClean') : t('studioProblems', diagnostics.length);
  $('check-status').className = ok ? 'verdict allow' : 'verdict deny';
  $('diagnostics').replaceChildren(...diagnostics.map(diagnosticItem));
  if (ok) drawRailroad(railroad);
  else if ($('railroad').childElementCount === 0) $('railroad').replaceChildren(el('p', t('studioRailroadEmpty'), 'help'));
}

/** A diagnostic as a button that puts the caret where it is. */
function diagnosticItem(d) {
  const li = el('li');
  const go = el('button', `${d.file}:${d.line}:${d.col}`, 'link');
  go.type = 'button';
  go.addEventListener('click', () => {
    const lexicon = d.file.endsWith('.tsv') ? lexicons.get(d.file.slice(0, -'.tsv'.length)) : undefined;
    const area = lexicon ? lexicon.textarea : $('charter');
    const at = offsetOf(area.value, d.line, d.col);
    area.focus();
    area.setSelectionRange(at, at);
  });
  li.append(go, `: ${d.message}`);
  return li;
}

/** Each rule's diagram: SVG markup from the server's railroad-diagrams, parsed as SVG (its text is escaped there). */
function drawRailroad(diagrams) {
  const parser = new DOMParser();
  $('railroad').replaceChildren(
    ...diagrams.map(({ rule, svg }) => {
      const figure = el('figure');
      const parsed = parser.parseFromString(svg, 'image/svg+xml').documentElement;
      const node = document.importNode(parsed, true);
      node.setAttribute('role', 'img');
      node.setAttribute('aria-label', `<${rule}>`);
      figure.append(el('figcaption', `<${rule}>`), node);
      return figure;
    }),
  );
}

// ---- try ----

async function tryDraft(event) {
  event.preventDefault();
  const body = { ...draft(), address: $('try-address').value.trim(), action: $('try-action').value, enumerate: 20 };
  const sender = $('try-sender').value.trim();
  if (sender) body.sender = sender;
  $('try-result').replaceChildren(el('p', t('loading'), 'help'));
  const { ok, status, data } = await post('/v1/studio/try', body);
  if (!ok) {
    const line = el('p');
    problem(status, data, line);
    return $('try-result').replaceChildren(line);
  }
  lastTry = data;
  drawTry();
}

function drawTry() {
  if (!lastTry) return;
  const { list, members, decision, refusal, enumerated } = lastTry;
  const nodes = [];
  if (refusal) {
    nodes.push(el('h3', t('noSuchList')), el('p', refusal.detail));
    if (refusal.column) nodes.push(el('p', t('column', refusal.column)));
  }
  if (list) {
    const facts = el('dl', undefined, 'facts');
    const filter = el('dd');
    filter.append(el('code', list.filter));
    facts.append(
      el('dt', t('addressLabel')),
      el('dd', list.address),
      el('dt', t('description')),
      el('dd', list.description),
      el('dt', t('subject')),
      el('dd', list.subject),
      el('dt', t('filter')),
      filter,
    );
    nodes.push(el('h3', list.address), facts);
    const count = el('p', t('memberCount', members.count));
    count.id = 'try-count';
    nodes.push(count);
    if (members.first.length > 0) {
      nodes.push(el('p', t('firstMembers', members.first.length), 'help'));
      const ul = el('ul', undefined, 'members');
      ul.id = 'try-members';
      ul.append(...members.first.map((m) => el('li', m)));
      nodes.push(ul);
    }
  }
  if (decision) {
    const verdict = el('p', t(decision.decision), `verdict ${decision.decision}`);
    verdict.id = 'try-verdict';
    const reasons = el('ul');
    reasons.append(...decision.reasons.map((r) => el('li', r)));
    nodes.push(verdict, el('p', `${t('rule')}: ${decision.rule}`, 'help'), reasons);
  }
  nodes.push(el('h3', t('studioAddresses')));
  const addresses = el('ul', undefined, 'members');
  addresses.id = 'try-addresses';
  addresses.append(...enumerated.addresses.map((a) => el('li', a)));
  nodes.push(addresses);
  if (enumerated.more) nodes.push(el('p', t('studioMore'), 'help'));
  if (enumerated.open.length > 0) nodes.push(el('p', t('studioOpenClasses', enumerated.open.join(', ')), 'help'));
  $('try-result').replaceChildren(...nodes);
}

// ---- install, versions, restore ----

async function install() {
  const body = draft();
  $('install-status').textContent = t('loading');
  const { ok, status, data } = await post('/v1/studio/install', body);
  if (!ok) {
    problem(status, data, $('install-status'));
    if (data.diagnostics) $('diagnostics').replaceChildren(...data.diagnostics.map(diagnosticItem));
    return;
  }
  $('install-status').textContent = t('studioInstalled', data.family, data.replaced);
  await versions();
}

async function versions() {
  const name = draft().name;
  if (name === '') return;
  const { ok, data } = await get(`/v1/studio/families/${segment(name)}/versions`);
  if (!ok) return;
  if (data.versions.length === 0) return $('versions').replaceChildren(el('li', t('studioNoVersions'), 'help'));
  $('versions').replaceChildren(
    ...data.versions.map((version) => {
      const li = el('li', `${version} `);
      const restore = el('button', t('studioRestore'), 'link');
      restore.type = 'button';
      restore.setAttribute('aria-label', `${t('studioRestore')} ${version}`);
      restore.addEventListener('click', async () => {
        const answer = await post(`/v1/studio/families/${segment(name)}/versions/${segment(version)}/restore`, {});
        if (!answer.ok) return problem(answer.status, answer.data, $('install-status'));
        $('install-status').textContent = t('studioRestored', version);
        await open();
      });
      li.append(restore);
      return li;
    }),
  );
}

/** The installed family's files into the editors. */
async function open(event) {
  event?.preventDefault();
  const name = draft().name;
  if (name === '') return;
  const { ok, status, data } = await get(`/v1/studio/families/${segment(name)}`);
  if (!ok) return problem(status, data, $('install-status'));
  $('charter').value = data.charter;
  for (const { remove } of lexicons.values()) remove.click();
  for (const [table, text] of Object.entries(data.lexicons)) addLexicon(table, text);
  $('install-status').textContent = t('studioLoaded', name);
  await versions();
  check();
}

/** A problem in a line; a route that wants the admin token shows the token form (401 already does). */
function problem(status, data, target) {
  target.textContent = failure(data);
  target.className = 'verdict deny';
  if (status === 403) document.dispatchEvent(new CustomEvent('autolist:token-needed'));
}

function redraw() {
  drawCheck();
  drawTry();
}

editor($('charter'), $('charter-paint'), paintCharter);
$('family-name').addEventListener('input', scheduleCheck);
$('family').addEventListener('submit', open);
$('new-lexicon').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('lexicon-name').value.trim();
  if (!$('lexicon-name').checkValidity() || name === '') return;
  addLexicon(name);
  $('lexicon-name').value = '';
  lexicons.get(name).textarea.focus();
  scheduleCheck();
});
$('try').addEventListener('submit', tryDraft);
$('install').addEventListener('click', install);
startPage(redraw, () => {
  check();
  versions();
});
paintCharter();
