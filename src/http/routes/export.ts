import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { exportBase, exportConcurrency, FILE_EXTENSIONS, listsWithMembers, MEDIA_TYPES, writeExport } from '../../export/index.js';
import type { Services } from '../../services.js';
import { familyOf } from '../family-of.js';
import { problems } from '../schemas/common.js';
import { exportQuery, switchedOn } from '../schemas/export.js';
import { familyNameParams } from '../schemas/families.js';
import type { SchemaRoutes } from '../type-provider.js';

/** GET /v1/families/{name}/export: the family's lists with members, as an address book. */
export const exportRoutes: SchemaRoutes<Pick<Services, 'catalog' | 'directory' | 'membership' | 'config'>> = async (app, { catalog, directory, membership, config }) => {
  app.get(
    '/families/:name/export',
    {
      // Address books are for the staff: the read token, like the members they are made from.
      config: { access: 'read' },
      schema: {
        summary: 'The lists of a public family that have members, as an address book',
        description:
          'Every list of the family (its charter says `public yes`) that has at least one member, with its address and description: LDIF (`text/x-ldif`, customary; no type is registered) for ldapadd or slapadd under `base`, vCard 4.0 (`text/vcard`), or CSV (`text/csv`). Names come from the charter, open token classes filled with the directory’s values of the attribute they filter; each list is expanded through the members cache. A non-public family is a FAMILY_NOT_PUBLIC problem (403).',
        tags: ['families'],
        params: familyNameParams,
        querystring: exportQuery,
        response: {
          200: {
            description: 'The address book',
            content: {
              'text/x-ldif': { schema: { type: 'string', description: 'LDIF content records (RFC 2849)' } },
              'text/vcard': { schema: { type: 'string', description: 'vCards 4.0 (RFC 6350)' } },
              'text/csv': { schema: { type: 'string', description: 'address,description[,members] (RFC 4180)' } },
            },
          },
          ...problems(400, 404, 422, 502, 503),
          403: { ...problems(403)[403], description: 'The family is not public (FAMILY_NOT_PUBLIC), or the admin token is required' },
        },
      },
    },
    async (request, reply) => {
      const family = familyOf(catalog.resolver, request.params.name);
      const { format, limit } = request.query;
      const baseOf = (): string => exportBase(family, request.query.base, config.export.base);
      // A bad base is refused before the directory is asked.
      if (format === 'ldif') baseOf();
      const { lists } = await listsWithMembers(family, directory, membership, { limit, concurrency: exportConcurrency(config), localPartMax: catalog.resolver.localPartMax });
      const text = writeExport(lists, { format, counts: switchedOn(request.query.counts), bom: switchedOn(request.query.bom), baseOf });
      // The body is text as it is made, which the schema documents as a string and TypeScript does not take for one.
      const plain: FastifyReply = reply;
      return plain
        .type(MEDIA_TYPES[format])
        .header('content-disposition', `attachment; filename="${family.name}.${FILE_EXTENSIONS[format]}"`)
        .send(Readable.from(text, { objectMode: false }));
    },
  );
};
