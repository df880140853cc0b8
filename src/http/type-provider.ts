import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginOptions } from 'fastify';
import type { listSchema, problemSchema } from './schemas/common.js';

/** The shared schemas routes point at ('Problem#', 'List#'), so that their types resolve too. */
type References = { references: [typeof problemSchema, typeof listSchema] };

/** A reply is only read by its serializer: its arrays of strings may be readonly ones. */
type ReadonlyArrays = { deserialize: [{ pattern: { type: 'array'; items: { type: 'string' } }; output: readonly string[] }] };

/**
 * A plugin of routes whose request.body, .query, .params and reply are typed from the route's
 * JSON schemas (json-schema-to-ts): the schemas, which also validate, serialize and make the
 * OpenAPI document, are the only description of the API. A handler's literal values (an enum's)
 * take `as const`: TypeScript reads them before it knows the reply's type, and would widen them.
 */
export type SchemaRoutes<Options extends FastifyPluginOptions = Record<never, never>> = FastifyPluginAsyncJsonSchemaToTs<{
  Options: Options;
  ValidatorSchemaOptions: References;
  SerializerSchemaOptions: References & ReadonlyArrays;
}>;
