import { listToJSON } from '../../charter/describe.js';
import type { ListDefinition } from '../../charter/list.js';
import type { Services } from '../../services.js';
import { addressParams, problems } from '../schemas/common.js';
import type { SchemaRoutes } from '../type-provider.js';

/** GET /v1/lists/{address}: the list an address names, or why it names none. */
export const listRoutes: SchemaRoutes<Pick<Services, 'catalog'>> = async (app, { catalog }) => {
  // The resolver returns the same definition while it is cached: describe it once.
  const described = new WeakMap<ListDefinition, ReturnType<typeof listToJSON>>();
  const describe = (list: ListDefinition): ReturnType<typeof listToJSON> => {
    let json = described.get(list);
    if (!json) described.set(list, (json = listToJSON(list)));
    return json;
  };
  app.get(
    '/lists/:address',
    {
      config: { access: 'read' },
      schema: {
        summary: 'The list an address names',
        description:
          'Family, name, description, subject tag, LDAP filter, parameters and rights of the list. An address that names no list gets a 404 problem with the failing column, what was expected there and close valid names.',
        tags: ['lists'],
        params: addressParams,
        response: { 200: { $ref: 'List#' }, ...problems(400, 404, 409) },
      },
    },
    async (request) => describe(catalog.resolver.resolve(request.params.address)),
  );
};
