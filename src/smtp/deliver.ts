import { createHash, randomUUID } from 'node:crypto';
import { Headers } from 'mailsplit';
import type { ListDefinition } from '../charter/list.js';
import { Moderation } from '../moderation/index.js';
import type { DeliveryReport, Relay } from '../relay/index.js';
import { replyText } from '../reply/reply-text.js';
import { SmtpReply } from '../reply/smtp-reply.js';
import type { Services } from '../services.js';
import { failedRecipients } from './bounces/dsn.js';
import { prependHeader } from './header-line.js';
import { setListHeaders } from './list-headers.js';
import { loopReason } from './loops.js';
import { t } from './messages.js';
import type { ReceivedMessage } from './message.js';
import type { Target } from './recipient.js';
import { roleAddress } from '../recipients/index.js';
import { answerRequest, mayEverAllow, type RequestServices } from '../requests/index.js';
import { stripUnbelievedResults } from '../verification/index.js';
import type { MessageAuthentication } from './verify-message.js';

/** What delivering a transaction works with. */
export type DeliveryServices = Pick<Services, 'config' | 'logger' | 'subscriptions' | 'bounces' | 'mailMetrics' | 'links'> & RequestServices;

export interface Deliverer {
  services: DeliveryServices;
  relay: Relay;
  /** Holds the messages of moderated senders; without it (a front that holds none) they are relayed like any. */
  moderation?: Moderation;
}

export interface Transaction {
  message: ReceivedMessage;
  /** The envelope sender; empty for the null sender. */
  sender: string;
  /** The Received header autolist adds, without its name. */
  received: string;
  targets: readonly Target[];
  /** Which Authentication-Results the copies keep, and autolist's own when it checked the message. */
  authentication: MessageAuthentication;
}

/**
 * Does what each accepted recipient asks with the message; resolves with the text of the 250 reply
 * once everything was handed over, or throws an SmtpReply (a loop) or the delivery's error.
 */
export async function deliverTransaction(deliverer: Deliverer, transaction: Transaction): Promise<string> {
  const { message, sender } = transaction;
  for (const target of transaction.targets) {
    if (target.kind !== 'list') continue;
    const loop = loopReason(message.headers, sender, target.list);
    if (loop !== undefined) throw new SmtpReply(554, '5.4.6', t(target.list.language, 'loop', { address: target.address, reason: loop }));
  }
  // The same message sent again: same envelope (sender, list) and content, Message-ID or not; the relay's journal bounds how long after.
  const contentHash = createHash('sha256').update(message.raw).digest('hex');
  const messageId = message.headers.getFirst('message-id').trim();
  const keyOf = (target: Target): string => createHash('sha256').update(`${sender}\n${target.address}\n${messageId}\n${contentHash}`).digest('hex').slice(0, 32);
  // As Postfix's cleanup does: the copies of a message without one get a Message-ID, the same in each.
  const addedId = messageId === '' ? `<${randomUUID()}@${deliverer.services.config.smtp.hostname}>` : undefined;
  const done: string[] = [];
  for (const target of transaction.targets) done.push(await deliverTo(deliverer, transaction, target, keyOf(target), addedId));
  // Each recipient's words in its list's language, ASCII like every reply line.
  return `2.0.0 ${done.map((words) => replyText(words)).join('; ')}`;
}

async function deliverTo(deliverer: Deliverer, transaction: Transaction, target: Target, key: string, addedId: string | undefined): Promise<string> {
  const { services, relay } = deliverer;
  const { message, sender } = transaction;
  const { list } = target;
  const copy = (edit: (headers: Headers) => void): Buffer => {
    const headers = new Headers(message.headerBytes);
    const { believed, header } = transaction.authentication;
    stripUnbelievedResults(headers, believed);
    prependHeader(headers, 'Received', transaction.received);
    if (header !== undefined) prependHeader(headers, 'Authentication-Results', header);
    if (addedId !== undefined) headers.add('Message-ID', addedId, Infinity);
    edit(headers);
    return Buffer.concat([headers.build(), message.body]);
  };
  switch (target.kind) {
    case 'list': {
      if (target.moderators !== undefined && deliverer.moderation !== undefined) {
        // Held as it would go out but for the list's headers, which it gets when approved.
        await deliverer.moderation.hold(
          list,
          sender,
          copy(() => undefined),
          target.moderators,
        );
        return Moderation.heldReply(list);
      }
      const { members, report } = await relayListCopy(deliverer, list, copy, key);
      services.logger.info({ list: list.address, sender, ...report }, 'message relayed to the list');
      return report.completedAt ? alreadyDelivered(target, report.completedAt) : t(list.language, 'relayed', { address: list.address, count: members });
    }
    case 'owner': {
      const report = await relay.deliver({ key, sender, recipients: target.owners, message: copy(() => undefined), priority: list.priority, list: list.address });
      return report.completedAt ? alreadyDelivered(target, report.completedAt) : t(list.language, 'toOwners', { address: target.address, count: target.owners.length });
    }
    case 'request': {
      // RFC 3834: no answer to the null sender, nor to what is itself automatic.
      if (sender === '' || loopReason(message.headers, sender, list) !== undefined) return t(list.language, 'noAnswer', { address: target.address });
      const reply = await answerRequest({ list, sender, message, services, ...(deliverer.moderation === undefined ? {} : { moderation: deliverer.moderation }) });
      await relay.deliver({ key, sender: '', recipients: [sender], message: reply, priority: list.priority, list: list.address });
      return t(list.language, 'answered', { address: target.address });
    }
    case 'bounces': {
      const failed = await failedRecipients(message.raw);
      if (failed === undefined) {
        services.logger.info({ list: list.address, sender }, 'mail to a bounce address that is no delivery status notification: dropped');
        return t(list.language, 'notDsn', { address: target.address });
      }
      await deliverer.services.bounces.recordReported(
        failed.map((f) => ({ list: list.address, address: f.address, status: f.status, source: 'dsn', ...(f.diagnostic ? { diagnostic: f.diagnostic } : {}) })),
      );
      services.mailMetrics.bounces.bounce('dsn', failed.length);
      return t(list.language, 'bouncesRecorded', { address: target.address, count: failed.length });
    }
  }
}

/**
 * The list's copies sent to its members as they are now: `copy` gives the message with its headers
 * edited, here to the list's (List-*, the subject tag, From rewritten, a one-click link per member
 * of a small list), one copy a member under `key`.
 */
export async function relayListCopy(deliverer: Deliverer, list: ListDefinition, copy: (edit: (headers: Headers) => void) => Buffer, key: string): Promise<{ members: number; report: DeliveryReport }> {
  const { services, relay } = deliverer;
  const owners = list.owners.length > 0 || services.config.smtp.defaultOwners.length > 0;
  const options = { hasOwners: owners, rewriteFrom: list.rewriteFrom, postingClosed: list.rights.send.closed, unsubscribeOpen: mayEverAllow(list, 'unsubscribe') };
  const edited = copy((headers) => setListHeaders(headers, list, options));
  const { members } = await services.subscriptions.members(list);
  // RFC 8058 asks for HTTPS; a link per member costs a copy and a transaction per member, so only small lists get one.
  const { links, subscriptions } = services;
  const oneClick = options.unsubscribeOpen && links.publicUrl.startsWith('https://') && members.length <= services.config.links.oneClickMaxMembers;
  const personalise = oneClick
    ? (member: string) => copy((headers) => setListHeaders(headers, list, { ...options, oneClickUrl: `${links.publicUrl}/u/${subscriptions.oneClickToken(list, member)}` }))
    : undefined;
  const delivery = { key, sender: roleAddress(list, 'bounces'), recipients: members, message: edited, priority: list.priority, list: list.address };
  const report = await relay.deliver(personalise === undefined ? delivery : { ...delivery, personalise });
  return { members: members.length, report };
}

/** The 250's words for a retry: the client learns that this copy went nowhere, and why. */
function alreadyDelivered(target: Target, at: Date): string {
  return t(target.list.language, 'alreadyDelivered', { address: target.address, at: at.toISOString() });
}
