import { rightsSummary } from '../../charter/describe.js';
import type { Family } from '../../charter/family.js';
import { familyNames, MAX_NAMES_OFFSET } from '../../charter/family-names.js';
import { grammarText, labelText, lexiconsOf } from '../../charter/grammar-text.js';
import type { Services } from '../../services.js';
import { HttpError } from '../errors.js';
import { familyOf } from '../family-of.js';
import { problems } from '../schemas/common.js';
import { familiesSchema, familyListsQuery, familyListsSchema, familyNameParams, familySchema } from '../schemas/families.js';
import type { SchemaRoutes } from '../type-provider.js';

/** GET /v1/families, /v1/families/{name}, /v1/families/{name}/lists. */
export const familyRoutes: SchemaRoutes<Pick<Services, 'catalog'>> = async (app, { catalog }) => {
  const family = (name: string): Family => familyOf(catalog.resolver, name);

  app.get('/families', { config: { access: 'read' }, schema: { summary: 'The families in service', tags: ['families'], response: { 200: familiesSchema } } }, async () => ({
    families: catalog.resolver.families.map(summary),
    loadedAt: catalog.loadedAt.toISOString(),
  }));

  app.get(
    '/families/:name',
    {
      config: { access: 'read' },
      schema: {
        summary: 'A family: header, grammar, lexicons, rights and examples',
        tags: ['families'],
        params: familyNameParams,
        response: { 200: familySchema, ...problems(404) },
      },
    },
    async (request) => {
      const f = family(request.params.name);
      const { header } = f;
      return {
        ...summary(f),
        subject: labelText(header.subject),
        directory: header.directory,
        cacheTtlSeconds: header.cacheTtlSeconds,
        owners: header.owners,
        emptyLists: header.acceptEmptyLists ? 'accept' : 'refuse',
        dmarc: header.rewriteFrom ? 'rewrite-from' : 'keep-from',
        grammar: grammarText(f),
        lexicons: lexiconsOf(f),
        rights: rightsSummary(f.rights, header.language),
        examples: f.examples.map((e) => {
          const address = e.address.includes('@') ? e.address : `${e.address}@${header.domains[0]}`;
          return e.filter === undefined ? { address, refused: true } : { address, filter: e.filter, refused: false };
        }),
      } as const;
    },
  );

  app.get(
    '/families/:name/lists',
    {
      config: { access: 'read' },
      schema: {
        summary: 'The addresses of a family, for address books (paged)',
        description: 'A finite family is listed whole, page by page. An infinite one (repetitions, open token classes) is listed shortest repetitions first, open token classes left out.',
        tags: ['families'],
        params: familyNameParams,
        querystring: familyListsQuery,
        response: { 200: familyListsSchema, ...problems(400, 404) },
      },
    },
    async (request) => {
      const f = family(request.params.name);
      const offset = Number(request.query.cursor ?? '0');
      if (offset > MAX_NAMES_OFFSET) throw new HttpError('BAD_REQUEST', `a page starts at most ${MAX_NAMES_OFFSET} names in`);
      const page = await familyNames(f, offset, request.query.limit, catalog.resolver.localPartMax);
      const domain = f.header.domains[0];
      return {
        family: f.name,
        finite: page.finite,
        open: page.open,
        addresses: page.names.map((n) => `${n}@${domain}`),
        nextCursor: page.more && offset + page.names.length <= MAX_NAMES_OFFSET ? String(offset + page.names.length) : null,
      };
    },
  );
};

function summary(f: Family) {
  return { name: f.name, domains: f.header.domains, description: labelText(f.header.description), priority: f.header.priority, language: f.header.language, exampleCount: f.examples.length };
}
