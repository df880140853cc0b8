import { HttpError } from '../errors.js';
import { escapeHtml, inlineCode } from '../html.js';
import { PROBLEM_TYPES, PROBLEM_TYPES_BY_SLUG, typeUri, type ProblemType } from '../problem-types.js';
import { problems } from '../schemas/common.js';
import type { SchemaRoutes } from '../type-provider.js';

/** The response entry of an HTML page. */
const PAGE = { description: 'An HTML page', content: { 'text/html': { schema: { type: 'string' } } } } as const;

/** The pages that problem `type` URIs point at: what each problem means, in English and French. */
export const problemRoutes: SchemaRoutes = async (app) => {
  app.get('/problems', { schema: { summary: 'Every problem type of the API', tags: ['operations'], response: { 200: PAGE } } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        page(
          'Problem types · Types de problème',
          `<h1>Problem types <span lang="fr">· Types de problème</span></h1>\n<ul>\n${[...PROBLEM_TYPES.values()]
            .map((t) => `<li><a href="${typeUri(t)}"><code>${t.code}</code></a> ${t.status}: ${escapeHtml(t.title)} <span lang="fr">· ${escapeHtml(t.titleFr)}</span></li>`)
            .join('\n')}\n</ul>`,
        ),
      ),
  );

  app.get(
    '/problems/:slug',
    {
      schema: {
        summary: 'What a problem type means',
        tags: ['operations'],
        params: { type: 'object', required: ['slug'], properties: { slug: { type: 'string' } } },
        response: { 200: PAGE, ...problems(404) },
      },
    },
    async (request, reply) => {
      const type = PROBLEM_TYPES_BY_SLUG.get(request.params.slug);
      if (!type) throw new HttpError('NOT_FOUND', 'no such problem type; GET /problems lists them');
      return reply.type('text/html; charset=utf-8').send(page(`${type.title} · ${type.titleFr}`, explain(type)));
    },
  );
};

function explain(t: ProblemType): string {
  return `<p><a href="/problems">Problem types · Types de problème</a></p>
<h1>${escapeHtml(t.title)}</h1>
<p>HTTP ${t.status} · <code>${t.code}</code> · <code>type: "${typeUri(t)}"</code></p>
<p>${inlineCode(t.explanation)}</p>
<section lang="fr"><h2>${escapeHtml(t.titleFr)}</h2>
<p>${inlineCode(t.explanationFr)}</p></section>`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · autolist</title><link rel="stylesheet" href="/explorer.css"></head>
<body><main>${body}</main></body></html>
`;
}
