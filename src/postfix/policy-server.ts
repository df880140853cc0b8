import type { Logger } from '../log.js';
import type { PolicyResult } from '../metrics/recorders.js';
import { replyText } from '../reply/reply-text.js';
import type { Services } from '../services.js';
import { PolicyDecoder, type PolicyRequest } from './policy-decoder.js';
import { checkRecipient, type RecipientServices, type RecipientVerdict } from '../recipients/index.js';
import { ClientTrust } from '../verification/index.js';
import { t } from './messages.js';
import { listenSettings, type PostfixServerOptions } from './server-options.js';
import { startRequestServer, type RunningServer } from './tcp-server.js';

/**
 * The Postfix policy delegation server (SMTPD_POLICY_README), for `check_policy_service` in
 * smtpd_recipient_restrictions: at RCPT time, DUNNO for an allowed sender or an address that is
 * not a list, `550 5.x.x reason` for a refusal, DEFER_IF_PERMIT when the directory is down.
 * Senders are verified here as at autolist's own front: Postfix's `sasl_username` owning the
 * address, or `client_address` in AUTOLIST_TRUSTED_NETWORKS. A sender only DMARC could verify is
 * left to the message's end (DUNNO), where autolist's SMTP front decides, when Postfix tells the
 * front who its client was (AUTOLIST_SMTP_XFORWARD_CLIENTS); without that the front would take
 * Postfix's word for every sender, so such a sender is refused here.
 */
export function startPolicyServer(services: Services, options: PostfixServerOptions): Promise<RunningServer> {
  const logger = services.logger.child({ front: 'postfix-policy' });
  const trust = new ClientTrust(services.config.verification);
  const metrics = services.mailMetrics.postfix;
  return startRequestServer({
    name: 'postfix policy server',
    ...listenSettings(services.config.postfix, options),
    logger,
    decoder: () => new PolicyDecoder(),
    answer: async (request, peer) => {
      const { action, result } = await policyAction(services, trust, request, peer, logger);
      metrics.policy(result);
      return `action=${action}\n\n`;
    },
  });
}

async function policyAction(services: RecipientServices, trust: ClientTrust, request: PolicyRequest, peer: string, logger: Logger): Promise<{ action: string; result: PolicyResult }> {
  const recipient = request.get('recipient') ?? '';
  const state = request.get('protocol_state');
  // Other stages (MAIL, DATA, END-OF-MESSAGE) have no single recipient to judge.
  if (state !== 'RCPT' || recipient === '') {
    logger.debug({ peer, state, recipient }, 'policy: DUNNO outside RCPT');
    return { action: 'DUNNO', result: 'other_stage' };
  }
  const sender = request.get('sender') ?? '';
  const user = request.get('sasl_username');
  const client = request.get('client_address');
  const context = { verified: trust.vouches(client), beforeMessage: true, ...(user ? { authenticatedUser: user } : {}) };
  const verdict = await checkRecipient(services, { recipient, sender, context });
  const forwarded = services.config.verification.xforwardClients.length > 0;
  const unverified = verdict.kind === 'pending' && verdict.unverified && !forwarded;
  const action = unverified ? unverifiedAction(sender, verdict) : actionOf(verdict);
  const fields = { peer, client, queueId: request.get('queue_id') || undefined, sender, recipient, saslUsername: user || undefined, ...loggedVerdict(verdict), action };
  if (verdict.kind === 'not-ours') logger.debug(fields, 'policy decision');
  else logger.info(fields, 'policy decision');
  return { action, result: unverified ? 'unverified' : verdict.kind === 'not-ours' ? 'not_ours' : verdict.kind };
}

/**
 * What a decision's log line keeps of the verdict: the list, its family, the rule and the verdict,
 * never the list's definition (its filter tree and rights: kilobytes per recipient).
 */
function loggedVerdict(verdict: RecipientVerdict): { kind: RecipientVerdict['kind']; list?: string; family?: string; rule?: string; unverified?: boolean } {
  const logged = { kind: verdict.kind, list: 'list' in verdict ? verdict.list : undefined, rule: 'rule' in verdict ? verdict.rule : undefined };
  if (verdict.kind === 'pending') return { ...logged, family: verdict.definition.family, unverified: verdict.unverified };
  return verdict.kind === 'accept' ? { ...logged, family: verdict.definition.family } : logged;
}

/** The refusal of a sender that only DMARC could verify, when the front behind Postfix cannot check it. */
function unverifiedAction(sender: string, verdict: RecipientVerdict & { kind: 'pending' }): string {
  return `550 5.7.1 ${replyText(t(verdict.language, 'unverified', { sender, list: verdict.list }))}`;
}

function actionOf(verdict: RecipientVerdict): string {
  switch (verdict.kind) {
    case 'not-ours':
    case 'accept':
    // Postfix cannot show the message to the policy server: autolist's SMTP front, which receives it, decides at its end.
    case 'pending':
      return 'DUNNO';
    case 'refuse':
      return `550 ${verdict.status} ${replyText(verdict.reason)}`;
    case 'defer':
      return `DEFER_IF_PERMIT ${verdict.status} ${replyText(verdict.reason)}`;
  }
}
