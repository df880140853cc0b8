// Calls to the autolist API from the explorer: JSON in, problems (RFC 9457) out as data, and the
// bearer token when the server asks for one (kept in sessionStorage: this tab only).

const TOKEN = 'autolist-token';

/** GET a path of the API: { ok, status, data } where data is the JSON body or the problem. */
export function get(path) {
  return call(path, { headers: { accept: 'application/json' } });
}

/** POST a JSON body to a path of the API: { ok, status, data } as get gives. */
export function post(path, body) {
  return call(path, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function call(path, init) {
  const token = sessionStorage.getItem(TOKEN);
  if (token) init.headers.authorization = `Bearer ${token}`;
  const response = await fetch(path, init);
  const type = response.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await response.json() : { detail: await response.text() };
  if (response.status === 401) document.dispatchEvent(new CustomEvent('autolist:token-needed'));
  return { ok: response.ok, status: response.status, data };
}

/** Shows the token form when the server asks, and retries `again` once a token is given. */
export function tokenForm(form, again) {
  document.addEventListener('autolist:token-needed', () => {
    form.hidden = false;
    form.querySelector('input').focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN, form.querySelector('input').value.trim());
    form.hidden = true;
    again();
  });
}

/** An address as a path segment (any character, slashes included, encoded). */
export const segment = (text) => encodeURIComponent(text);

/** A small element with text (never HTML: values come from charters and the directory). */
export function el(name, text, className) {
  const node = document.createElement(name);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}
