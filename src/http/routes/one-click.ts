import { roleAddress } from '../../recipients/index.js';
import type { Services } from '../../services.js';
import { HttpError } from '../errors.js';
import { askPage, donePage } from '../one-click-page.js';
import { problems } from '../schemas/common.js';
import { tokenParams } from '../schemas/overrides.js';
import type { SchemaRoutes } from '../type-provider.js';

const PAGE = { description: 'An HTML page, in the list’s language', content: { 'text/html': { schema: { type: 'string' } } } } as const;
const FORMS = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** Whether an RFC 8058 POST body says `List-Unsubscribe=One-Click` (form-urlencoded, or multipart/form-data). */
function saysOneClick(body: string, type: string): boolean {
  if (type.startsWith('multipart/')) return /name="?List-Unsubscribe"?\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/i.test(body);
  return new URLSearchParams(body).get('List-Unsubscribe') === 'One-Click';
}

/**
 * The one-click unsubscribe link of a member's copy (RFC 8058), at PUBLIC_URL/u/TOKEN, open to
 * anyone holding the link: the signed token names the list and the member. A POST with
 * `List-Unsubscribe=One-Click` unsubscribes at once; a GET only shows a page with the button, so
 * that link scanners and prefetchers unsubscribe nobody.
 */
export const oneClickRoutes: SchemaRoutes<Pick<Services, 'subscriptions'>> = async (app, { subscriptions }) => {
  for (const type of FORMS) app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 65_536 }, (_request, body, done) => done(null, body));

  app.get(
    '/u/:token',
    {
      config: { access: 'public' },
      schema: {
        summary: 'The one-click unsubscribe link, opened: a page with the button',
        description: 'Nothing is done by a GET. The page’s button POSTs `List-Unsubscribe=One-Click`, as mail clients do.',
        tags: ['members'],
        params: tokenParams,
        response: { 200: PAGE, ...problems(400, 404, 410) },
      },
    },
    async (request, reply) => {
      const { list, address } = subscriptions.readOneClick(request.params.token);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(askPage(list, address));
    },
  );

  app.post(
    '/u/:token',
    {
      config: { access: 'public' },
      schema: {
        summary: 'One-click unsubscribe (RFC 8058)',
        description:
          'The body `List-Unsubscribe=One-Click` (application/x-www-form-urlencoded or multipart/form-data) unsubscribes the member the signed token names from its list at once: an exclusion is recorded (how: one-click). Done again, it changes nothing.',
        tags: ['members'],
        params: tokenParams,
        response: { 200: PAGE, ...problems(400, 404, 410, 503) },
      },
    },
    async (request, reply) => {
      const type = String(request.headers['content-type'] ?? '');
      if (typeof request.body !== 'string' || !saysOneClick(request.body, type)) throw new HttpError('BAD_REQUEST', 'a one-click unsubscribe sends List-Unsubscribe=One-Click (RFC 8058)');
      const { list, address } = subscriptions.readOneClick(request.params.token);
      const outcome = await subscriptions.oneClick(request.params.token);
      const status = outcome.result === 'deferred' ? 503 : 200;
      return reply
        .code(status)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(donePage(list, address, roleAddress(list, 'request'), outcome));
    },
  );
};
