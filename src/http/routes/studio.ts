import { CharterError } from '../../charter/errors.js';
import type { Family } from '../../charter/family.js';
import { loadSharedConditions } from '../../charter/load.js';
import { reloadFamilies, type Services } from '../../services.js';
import { compileDraft, type Draft, draftFiles, draftOf } from '../../studio/draft.js';
import { paintCharter } from '../../studio/highlight.js';
import { FamilyInstaller } from '../../studio/installer.js';
import { railroadDiagrams } from '../../studio/railroad.js';
import { tryFamily } from '../../studio/try.js';
import { HttpError } from '../errors.js';
import { problems } from '../schemas/common.js';
import { draftBody, installedSchema, studioCheckSchema, studioFamilyParams, studioFamilySchema, studioTrySchema, studioVersionParams, tryBody, versionsSchema } from '../schemas/studio.js';
import type { SchemaRoutes } from '../type-provider.js';

type StudioServices = Pick<Services, 'catalog' | 'membership' | 'rights' | 'peers' | 'logger'> & { familiesDir: string };

/**
 * The charter studio's routes, all for the admin token: check a draft family as it is typed, try it
 * on the live directory, install it into the families folder (reloaded on every worker and replica),
 * and the versions each install replaced, restorable.
 */
export const studioRoutes: SchemaRoutes<StudioServices> = async (app, { catalog, membership, rights, peers, logger, familiesDir }) => {
  const installer = new FamilyInstaller(familiesDir);

  /** The draft compiled with the families folder's shared conditions; a CharterError (422) when it does not compile. */
  const compiled = (draft: Draft): Family => {
    // Shared conditions that do not compile are the server's problem (422 too), not the draft's.
    const { family, diagnostics } = compileDraft(draft, loadSharedConditions(familiesDir));
    if (family === undefined) throw new CharterError(diagnostics);
    return family;
  };

  /** Puts the files in place and in service here, then on every other worker and replica; an install the reload refuses is taken back. */
  const install = async (name: string, files: Record<string, string>) => {
    const { replaced } = await installer.install(name, files);
    let reloaded: ReturnType<typeof reloadFamilies>;
    try {
      reloaded = reloadFamilies({ catalog, rights, logger });
    } catch (error) {
      await installer.undo(name, replaced);
      throw error;
    }
    await peers.publish({ kind: 'reload' });
    logger.info({ family: name, replaced }, 'family installed from the studio');
    return { family: name, replaced, families: reloaded.families, loadedAt: reloaded.loadedAt.toISOString() };
  };

  const draftOfBody = (body: { name: string; charter: string; lexicons?: Record<string, string> }): Draft => ({ name: body.name, charter: body.charter, lexicons: body.lexicons ?? {} });

  app.post(
    '/studio/check',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Check a draft family: diagnostics, tokens and railroad diagrams',
        description: 'Compiles the charter and its lexicons as `autolist check` would, with the shared conditions in service. Nothing is installed.',
        tags: ['studio'],
        body: draftBody,
        response: { 200: studioCheckSchema, ...problems(400, 401, 403, 413, 415, 422) },
      },
    },
    async (request) => {
      const draft = draftOfBody(request.body);
      const { family, diagnostics } = compileDraft(draft, loadSharedConditions(familiesDir));
      return { ok: family !== undefined, diagnostics, tokens: paintCharter(draft.charter), railroad: family === undefined ? [] : railroadDiagrams(family) };
    },
  );

  app.post(
    '/studio/try',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Try a draft family on the live directory before installing it',
        description:
          'Resolves an address by the draft (or says why it names no list), counts its members in the directory and gives the first 20, decides for a sender, and lists the first addresses of the family. A draft that does not compile gets a 422 problem with its diagnostics.',
        tags: ['studio'],
        body: tryBody,
        response: { 200: studioTrySchema, ...problems(400, 401, 403, 413, 415, 422, 502, 503) },
      },
    },
    async (request, reply) => {
      const { address, sender, action, enumerate } = request.body;
      const outcome = await tryFamily(compiled(draftOfBody(request.body)), { address, sender, action, enumerate }, { membership, rights });
      if (outcome.decision?.decision === 'pending') throw new Error('a decision made without the message came back pending');
      if (outcome.decision?.decision === 'defer') reply.header('retry-after', '30');
      return outcome as typeof outcome & { decision?: { decision: 'allow' | 'deny' | 'defer' | 'moderate' } };
    },
  );

  app.post(
    '/studio/install',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Install a draft family into the families folder and put it in service',
        description:
          'The draft is compiled first: one that does not compile gets a 422 problem with its diagnostics and nothing is written. Otherwise it is written whole in a staging folder and renamed into place (a reader sees the previous family or the new one, never part of one), the folder it replaces kept as a version, and the families reloaded on every worker and replica, as POST /v1/families/reload does. A reload that refuses the folder takes the install back.',
        tags: ['studio'],
        body: draftBody,
        response: { 200: installedSchema, ...problems(400, 401, 403, 413, 415, 422, 503) },
      },
    },
    async (request) => {
      const draft = draftOfBody(request.body);
      compiled(draft);
      return install(draft.name, draftFiles(draft));
    },
  );

  app.get(
    '/studio/families/:name',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'A family’s files as its folder holds them, to edit in the studio',
        tags: ['studio'],
        params: studioFamilyParams,
        response: { 200: studioFamilySchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { name } = request.params;
      const files = installer.current(name);
      if (files === undefined) throw new HttpError('NO_SUCH_FAMILY', `the families folder has no family "${name}"`);
      return draftOf(name, files);
    },
  );

  app.get(
    '/studio/families/:name/versions',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'The versions of a family that installs replaced, newest first',
        tags: ['studio'],
        params: studioFamilyParams,
        response: { 200: versionsSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => ({ family: request.params.name, versions: await installer.versions(request.params.name) }),
  );

  app.post(
    '/studio/families/:name/versions/:version/restore',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Put a kept version of a family back in service',
        description: 'Installs the version as a draft would be installed (compiled first; the folder it replaces kept in turn), so a restore can itself be undone.',
        tags: ['studio'],
        params: studioVersionParams,
        response: { 200: installedSchema, ...problems(400, 401, 403, 404, 422, 503) },
      },
    },
    async (request) => {
      const { name, version } = request.params;
      const files = installer.version(name, version);
      compiled(draftOf(name, files));
      return install(name, files);
    },
  );
};
