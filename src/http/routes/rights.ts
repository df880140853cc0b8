import type { DecisionContext } from '../../rights/index.js';
import type { Services } from '../../services.js';
import { RETRY_AFTER_SECONDS } from '../problem.js';
import { problems } from '../schemas/common.js';
import { decisionSchema, rightsParams, rightsQuery } from '../schemas/rights.js';
import type { SchemaRoutes } from '../type-provider.js';

/** GET /v1/lists/{address}/rights/{action}?sender=...: may this sender do this, and why. */
export const rightsRoutes: SchemaRoutes<Pick<Services, 'catalog' | 'rights'>> = async (app, { catalog, rights }) => {
  app.get(
    '/lists/:address/rights/:action',
    {
      config: { access: 'read' },
      schema: {
        summary: 'May this sender do this action on the list, and why',
        description:
          'allow or deny with the rule that decided and each condition checked; defer (with Retry-After) when the directory could not answer. Pass what the front knows of the sender (authenticated, dkim, spf, dmarc) for families whose rules use it. Decided for a verified sender unless verified=false (then a family saying `senders verified` refuses a sender its authenticated user does not own).',
        tags: ['rights'],
        params: rightsParams,
        querystring: rightsQuery,
        response: { 200: decisionSchema, ...problems(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const list = catalog.resolver.resolve(request.params.address);
      const { sender, authenticated, dkim, spf, dmarc, verified } = request.query;
      const context: DecisionContext = {};
      if (authenticated) context.authenticatedUser = authenticated;
      if (dkim) context.dkim = dkim.toLowerCase();
      if (spf) context.spf = spf.toLowerCase();
      if (dmarc) context.dmarc = dmarc.toLowerCase();
      if (verified === false) context.verified = false;
      const decision = await rights.decide(list, request.params.action, sender, context);
      // Only a front deciding before the message (beforeMessage) gets `pending`: this route never asks so.
      if (decision.decision === 'pending') throw new Error('a decision made without the message came back pending');
      if (decision.decision === 'defer') reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return { ...decision, decision: decision.decision };
    },
  );
};
