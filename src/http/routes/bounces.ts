import type { Services } from '../../services.js';
import { bouncesQuery, bouncesSchema } from '../schemas/bounces.js';
import { problems } from '../schemas/common.js';
import type { SchemaRoutes } from '../type-provider.js';

/** GET /v1/bounces: member addresses whose mail bounced, to find stale directory entries. */
export const bounceRoutes: SchemaRoutes<Pick<Services, 'bounces'>> = async (app, { bounces }) => {
  app.get(
    '/bounces',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Addresses the lists’ mail could not reach, most bounced first',
        description: 'From delivery status notifications sent to the lists’ bounce addresses, and recipients the relay refused for good.',
        tags: ['operations'],
        querystring: bouncesQuery,
        response: { 200: bouncesSchema, ...problems(400, 401) },
      },
    },
    async (request) => {
      const { list, limit } = request.query;
      return bounces.query({ limit, ...(list === undefined ? {} : { list: list.trim().toLowerCase() }) });
    },
  );
};
