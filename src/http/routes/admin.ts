import { invalidateCaches, reloadFamilies, type Services } from '../../services.js';
import type { Invalidation } from '../../store/peers.js';
import { familyOf } from '../family-of.js';
import { invalidateBody, invalidatedSchema, reloadedSchema } from '../schemas/admin.js';
import { problems } from '../schemas/common.js';
import type { SchemaRoutes } from '../type-provider.js';

/** POST /v1/cache/invalidate and POST /v1/families/reload: the admin token's routes. */
export const adminRoutes: SchemaRoutes<Pick<Services, 'catalog' | 'membership' | 'rights' | 'peers' | 'logger'>> = async (app, { catalog, membership, rights, peers, logger }) => {
  /** Here, then in every other worker before the answer. */
  const invalidate = async (what: Invalidation): Promise<void> => {
    invalidateCaches({ membership, rights }, what);
    await peers.publish({ kind: 'invalidate', ...what });
  };

  app.post(
    '/cache/invalidate',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Forget cached members and decisions: of a list, a family, or all',
        tags: ['operations'],
        body: invalidateBody,
        response: { 200: invalidatedSchema, ...problems(400, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const body = request.body;
      if (body.list !== undefined) {
        const list = catalog.resolver.resolve(body.list);
        await invalidate({ scope: 'list', target: list.address });
        return { invalidated: 'list', target: list.address } as const;
      }
      if (body.family !== undefined) {
        const { name } = familyOf(catalog.resolver, body.family);
        await invalidate({ scope: 'family', target: name });
        return { invalidated: 'family', target: name } as const;
      }
      await invalidate({ scope: 'all' });
      return { invalidated: 'all' } as const;
    },
  );

  app.post(
    '/families/reload',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Recompile the families folder and put it in service atomically',
        description: 'A charter that does not compile gives a 422 problem with its diagnostics, and the families in service stay as they were.',
        tags: ['operations'],
        response: { 200: reloadedSchema, ...problems(422) },
      },
    },
    async () => {
      const { families, loadedAt } = reloadFamilies({ catalog, rights, logger });
      // Every other worker recompiles the same folder; one whose charter would not compile keeps its families and logs why.
      await peers.publish({ kind: 'reload' });
      return { families, loadedAt: loadedAt.toISOString() };
    },
  );
};
