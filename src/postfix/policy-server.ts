import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import { PolicyDecoder, type PolicyRequest } from './policy-decoder.js';
import { checkRecipient, type RecipientVerdict } from '../recipients/index.js';
import { replyText } from '../recipients/index.js';
import { listenSettings, type PostfixServerOptions } from './server-options.js';
import { startRequestServer, type RunningServer } from './tcp-server.js';

/**
 * The Postfix policy delegation server (SMTPD_POLICY_README), for `check_policy_service` in
 * smtpd_recipient_restrictions: at RCPT time, DUNNO for an allowed sender or an address that is
 * not a list, `550 5.x.x reason` for a refusal, DEFER_IF_PERMIT when the directory is down.
 */
export function startPolicyServer(services: Services, options: PostfixServerOptions): Promise<RunningServer> {
  const logger = services.logger.child({ front: 'postfix-policy' });
  return startRequestServer({
    name: 'postfix policy server',
    ...listenSettings(services, options),
    logger,
    decoder: () => new PolicyDecoder(),
    answer: async (request, peer) => `action=${await policyAction(services, request, peer, logger)}\n\n`,
  });
}

async function policyAction(services: Services, request: PolicyRequest, peer: string, logger: Logger): Promise<string> {
  const recipient = request.get('recipient') ?? '';
  const state = request.get('protocol_state');
  // Other stages (MAIL, DATA, END-OF-MESSAGE) have no single recipient to judge.
  if (state !== 'RCPT' || recipient === '') {
    logger.debug({ peer, state, recipient }, 'policy: DUNNO outside RCPT');
    return 'DUNNO';
  }
  const sender = request.get('sender') ?? '';
  const user = request.get('sasl_username');
  const verdict = await checkRecipient(services, { recipient, sender, ...(user ? { authenticatedUser: user } : {}) });
  const action = actionOf(verdict);
  const fields = { peer, client: request.get('client_address'), queueId: request.get('queue_id') || undefined, sender, recipient, saslUsername: user || undefined, ...verdict, action };
  if (verdict.kind === 'not-ours') logger.debug(fields, 'policy decision');
  else logger.info(fields, 'policy decision');
  return action;
}

function actionOf(verdict: RecipientVerdict): string {
  switch (verdict.kind) {
    case 'not-ours':
    case 'accept':
      return 'DUNNO';
    case 'refuse':
      return `550 ${verdict.status} ${replyText(verdict.reason)}`;
    case 'defer':
      return `DEFER_IF_PERMIT ${verdict.status} ${replyText(verdict.reason)}`;
  }
}
