import { completions } from '../../charter/completions.js';
import type { Services } from '../../services.js';
import { problems } from '../schemas/common.js';
import { suggestQuery, suggestSchema } from '../schemas/suggest.js';
import type { SchemaRoutes } from '../type-provider.js';

/** GET /v1/suggest?q=PARTIAL: completions of a partial address, for address fields. */
export const suggestRoutes: SchemaRoutes<Pick<Services, 'catalog'>> = async (app, { catalog }) => {
  app.get(
    '/suggest',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Completions of a partial address',
        description: 'Full addresses first (with their descriptions), then longer prefixes: the literals and lexicon words the charters accept where the text stops.',
        tags: ['lists'],
        querystring: suggestQuery,
        response: { 200: suggestSchema, ...problems(400) },
      },
    },
    async (request) => ({ q: request.query.q, completions: completions(catalog.resolver, request.query.q, request.query.limit) }),
  );
};
