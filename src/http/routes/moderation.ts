import type { Catalog } from '../../charter/catalog.js';
import type { TokenSigner } from '../../links/index.js';
import { heldView, type Moderation, messageToken, readListToken, readMessageToken, type Verdict } from '../../moderation/index.js';
import { type HeldMessage, HeldNotFoundError, type HeldStore } from '../../store/held/index.js';
import { addressParams, problems } from '../schemas/common.js';
import { decideBody, decidedSchema, heldIdParams, heldListSchema, moderationListSchema, moderationViewSchema, rejectBody, tokenParams } from '../schemas/moderation.js';
import type { SchemaRoutes } from '../type-provider.js';

export interface ModerationRouteOptions {
  catalog: Catalog;
  held: HeldStore;
  signer: TokenSigner;
  /** Moderation with its relay, opened on first use (a front that never decides opens no relay). */
  moderation: () => Promise<Moderation>;
}

/**
 * Moderation: the capability routes of the moderators' links (the signed token is the right: no
 * admin token), and the administrators' routes (admin token) to list, approve and reject held messages.
 */
export const moderationRoutes: SchemaRoutes<ModerationRouteOptions> = async (app, { catalog, held, signer, moderation }) => {
  const found = async (id: string): Promise<HeldMessage> => {
    const message = await held.get(id);
    if (message === undefined) throw new HeldNotFoundError(`no held message ${id}`);
    return message;
  };
  const description = (list: string): string | undefined => {
    try {
      return catalog.resolver.resolve(list).description;
    } catch {
      return undefined;
    }
  };
  const language = (list: string): 'en' | 'fr' => {
    try {
      return catalog.resolver.resolve(list).language;
    } catch {
      return 'en';
    }
  };
  /** Decides, or throws ALREADY_DECIDED naming the first decision. */
  const decide = async (id: string, verdict: Verdict, by: string) => {
    await found(id);
    const view = heldView(await (await moderation()).decideFirst(id, verdict, by));
    return { id, state: view.state, decision: view.decision as NonNullable<typeof view.decision> };
  };
  const verdictOf = (decision: 'approve' | 'reject', reason: string | undefined): Verdict =>
    decision === 'approve' ? { state: 'approved' } : { state: 'rejected', ...(reason === undefined ? {} : { reason }) };

  app.get(
    '/moderation/:token',
    {
      config: { access: 'public' },
      schema: {
        summary: 'A held message, for the moderator whose link this is',
        description: 'The link a moderator received (PUBLIC_URL/moderation/TOKEN) is the right to see and decide: no other token is needed.',
        tags: ['moderation'],
        params: tokenParams,
        response: { 200: moderationViewSchema, ...problems(400, 404, 410) },
      },
    },
    async (request) => {
      const { id, by } = readMessageToken(signer, request.params.token);
      const message = await found(id);
      const about = description(message.list);
      return { moderator: by, language: language(message.list), ...(about === undefined ? {} : { description: about }), message: heldView(message) };
    },
  );

  app.post(
    '/moderation/:token',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Approve or reject a held message, as the moderator whose link this is',
        description:
          'The first decision counts: an approved message goes to every member once, a rejected one’s author is told (with the reason). A later decision changes nothing: 409 ALREADY_DECIDED says who decided, and when.',
        tags: ['moderation'],
        params: tokenParams,
        body: decideBody,
        response: { 200: decidedSchema, ...problems(400, 404, 409, 410) },
      },
    },
    async (request) => {
      const { id, by } = readMessageToken(signer, request.params.token);
      return decide(id, verdictOf(request.body.decision, request.body.reason), by);
    },
  );

  app.get(
    '/moderation/lists/:token',
    {
      config: { access: 'public' },
      schema: {
        summary: 'The messages held for a list, for the moderator whose link this is',
        description: 'Each message comes with the token of its own link for this moderator.',
        tags: ['moderation'],
        params: tokenParams,
        response: { 200: moderationListSchema, ...problems(400, 410) },
      },
    },
    async (request) => {
      const { list, by } = readListToken(signer, request.params.token);
      const waiting = await held.waiting(list);
      const about = description(list);
      return {
        list,
        moderator: by,
        language: language(list),
        ...(about === undefined ? {} : { description: about }),
        messages: waiting.filter((m) => m.moderators.includes(by)).map((m) => heldView(m, messageToken(signer, { id: m.id, by }, m.expiresAt))),
      };
    },
  );

  app.get(
    '/lists/:address/held',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'The messages held for moderation on a list',
        tags: ['moderation'],
        params: addressParams,
        response: { 200: heldListSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const list = catalog.resolver.resolve(request.params.address);
      return { list: list.address, messages: (await held.waiting(list.address)).map((m) => heldView(m)) };
    },
  );

  app.post(
    '/held/:id/approve',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Approve a held message: it goes to every member of its list once',
        tags: ['moderation'],
        params: heldIdParams,
        response: { 200: decidedSchema, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => decide(request.params.id, { state: 'approved' }, 'admin'),
  );

  app.post(
    '/held/:id/reject',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Reject a held message: its author is told, with the reason',
        tags: ['moderation'],
        params: heldIdParams,
        body: rejectBody,
        response: { 200: decidedSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => decide(request.params.id, verdictOf('reject', request.body?.reason), 'admin'),
  );
};
