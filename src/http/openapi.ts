import type { SwaggerOptions } from '@fastify/swagger';
import type { Access } from './auth.js';
import { problems } from './schemas/common.js';

/**
 * The OpenAPI document (served at /openapi.json), built from the routes' schemas. Each route's
 * `access` adds its bearer security and its 401 (and 403) problems to the document.
 */
export const OPENAPI_OPTIONS: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'autolist',
      version: '1',
      description:
        'Mailing lists made from their names: resolve, expand, decide, explain. Routes with bearer security need the read token (or the admin token; admin routes: the admin token) when the server is configured with tokens. Every error is an RFC 9457 problem whose `type` is a page explaining it.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  },
  // Shared schemas ($id Problem, List) keep their names in components.schemas.
  refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  transform: ({ schema, url, route }) => {
    const access: Access = route.config?.access ?? 'public';
    if (access === 'public' || schema === undefined) return { schema, url };
    const refusals = problems(401, ...(access === 'admin' ? [403] : []));
    const response = (schema.response ?? {}) as Record<string, unknown>;
    return { schema: { ...schema, security: [{ bearer: [] }], response: { ...refusals, ...response } }, url };
  },
};
