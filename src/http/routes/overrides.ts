import { normaliseSender } from '../../address/sender-address.js';
import type { Services } from '../../services.js';
import { HttpError } from '../errors.js';
import { addressParams, problems } from '../schemas/common.js';
import { overrideParams, overridesSchema, undoneSchema } from '../schemas/overrides.js';
import type { SchemaRoutes } from '../type-provider.js';

/** GET /v1/lists/{address}/overrides and DELETE /v1/lists/{address}/overrides/{mail}: a list's exclusions and additions, for its administrators. */
export const overrideRoutes: SchemaRoutes<Pick<Services, 'catalog' | 'subscriptions'>> = async (app, { catalog, subscriptions }) => {
  app.get(
    '/lists/:address/overrides',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'The exclusions and additions of a list',
        description:
          'Who unsubscribed from the directory’s list (exclusions) and who subscribed beyond it (additions), when, how and by which rule; each addition says whether the family’s subscribe rules still admit its person.',
        tags: ['members'],
        params: addressParams,
        response: { 200: overridesSchema, ...problems(400, 404, 409, 503) },
      },
    },
    async (request) => {
      const list = catalog.resolver.resolve(request.params.address);
      return { list: list.address, overrides: await subscriptions.overrides(list) };
    },
  );

  app.delete(
    '/lists/:address/overrides/:mail',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Undo an exclusion or addition',
        description: 'The person’s choice is forgotten: whether they are a member is the directory’s again. 404 when they have none.',
        tags: ['members'],
        params: overrideParams,
        response: { 200: undoneSchema, ...problems(400, 404, 409, 503) },
      },
    },
    async (request) => {
      const list = catalog.resolver.resolve(request.params.address);
      const address = normaliseSender(request.params.mail)?.address;
      if (address === undefined) throw new HttpError('BAD_REQUEST', 'the person’s address is not of the form name@domain');
      const override = await subscriptions.undoOverride(list, address);
      if (override === undefined) {
        throw new HttpError('NOT_FOUND', `${address} has neither an exclusion nor an addition on ${list.address}`);
      }
      return { list: list.address, undone: override };
    },
  );
};
