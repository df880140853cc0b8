import { compileFamily } from '../../charter/compile.js';
import { CharterError } from '../../charter/errors.js';
import { loadSharedConditions } from '../../charter/load.js';
import { problems } from '../schemas/common.js';
import { charterCheckBody, charterCheckSchema } from '../schemas/charters.js';
import type { SchemaRoutes } from '../type-provider.js';

/** POST /v1/charters/check: compiles a charter sent in the body, with the shared conditions in service. */
export const charterRoutes: SchemaRoutes<{ familiesDir: string }> = async (app, { familiesDir }) => {
  app.post(
    '/charters/check',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Check a charter without installing it',
        description: 'Compiles the charter and its lexicons as `autolist check` would (examples included) and returns every diagnostic. Nothing is installed: the families in service do not change.',
        tags: ['families'],
        body: charterCheckBody,
        response: { 200: charterCheckSchema, ...problems(400, 413, 415, 422) },
      },
    },
    async (request) => {
      const { name, charter, lexicons = {} } = request.body;
      // Outside the try: shared conditions that do not compile are the server's problem (422), not the charter's.
      const shared = loadSharedConditions(familiesDir);
      try {
        const family = compileFamily(
          {
            name,
            file: `${name}.charter`,
            text: charter,
            lexicons: Object.entries(lexicons).map(([table, text]) => ({ name: table, file: `${table}.tsv`, text })),
          },
          shared,
        );
        return { ok: true, family: { name: family.name, domains: family.header.domains, rules: family.rules.length, examples: family.examples.length }, diagnostics: [] };
      } catch (error) {
        if (error instanceof CharterError) return { ok: false, diagnostics: error.diagnostics };
        throw error;
      }
    },
  );
};
