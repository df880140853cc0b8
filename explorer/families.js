// The families page: each family's header, grammar in charter notation, lexicons, rights and
// examples (each example links to the explorer).
import { el, get, segment } from './api.js';
import { failure, inLanguage, t } from './i18n.js';
import { startPage } from './page.js';

const $ = (id) => document.getElementById(id);
let families = [];

async function load() {
  $('status').textContent = t('loading');
  const index = await get('/v1/families');
  if (!index.ok) {
    $('status').textContent = failure(index.data);
    return;
  }
  families = await Promise.all(index.data.families.map(async (f) => (await get(`/v1/families/${segment(f.name)}`)).data));
  $('status').textContent = '';
  draw();
}

function draw() {
  $('families').replaceChildren(...families.map(family));
}

function family(f) {
  const section = el('section', undefined, 'panel');
  section.setAttribute('aria-labelledby', `family-${f.name}`);
  const title = el('h2', f.name);
  title.id = `family-${f.name}`;
  const facts = el('dl', undefined, 'facts');
  facts.append(el('dt', t('domains')), el('dd', f.domains.join(', ')), el('dt', t('description')), el('dd', f.description), el('dt', t('subject')), el('dd', f.subject));
  const grammar = el('pre');
  grammar.append(el('code', f.grammar.map((r) => r.text).join('\n\n')));
  const rights = el('dl', undefined, 'facts');
  for (const [action, text] of Object.entries(f.rights)) rights.append(el('dt', t(action)), inLanguage(el('dd', text), f.language));
  section.append(title, facts, el('h3', t('grammar')), grammar);
  const tables = Object.entries(f.lexicons);
  if (tables.length > 0) {
    section.append(el('h3', t('lexicons')));
    for (const [name, entries] of tables) section.append(lexicon(name, entries));
  }
  section.append(el('h3', t('rights')), rights, el('h3', t('examples')), examples(f.examples));
  return section;
}

function lexicon(name, entries) {
  const table = el('table');
  const caption = el('caption', name);
  const head = el('tr');
  head.append(el('th', t('token')), el('th', t('label')), el('th', t('filter')));
  table.append(caption, head);
  for (const e of entries) {
    const row = el('tr');
    const filter = el('td');
    filter.append(el('code', e.filter));
    row.append(el('td', e.token), el('td', e.label), filter);
    table.append(row);
  }
  return table;
}

function examples(list) {
  const ul = el('ul');
  for (const e of list) {
    const li = el('li');
    if (e.refused) li.append(el('del', e.address), ` (${t('refused')})`);
    else {
      const a = el('a', e.address);
      a.href = `/?address=${encodeURIComponent(e.address)}`;
      li.append(a, ' → ', el('code', e.filter));
    }
    ul.append(li);
  }
  return ul;
}

startPage(draw, load);
load();
