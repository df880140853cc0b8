import { createHash } from 'node:crypto';
import { Headers } from 'mailsplit';
import type { Relay } from '../relay/index.js';
import type { Services } from '../services.js';
import { failedRecipients } from './bounces/dsn.js';
import { prependHeader } from './header-line.js';
import { setListHeaders } from './list-headers.js';
import { loopReason } from './loops.js';
import type { ReceivedMessage } from './message.js';
import type { Target } from './recipient.js';
import { SmtpReply } from './reply.js';
import { requestReply } from './request-reply.js';
import { roleAddress } from '../recipients/index.js';
import { stripUnbelievedResults } from '../verification/index.js';
import type { MessageAuthentication } from './verify-message.js';

export interface Deliverer {
  services: Services;
  relay: Relay;
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
    if (loop !== undefined) throw new SmtpReply(554, '5.4.6', `${target.address}: ${loop}`);
  }
  const contentHash = createHash('sha256').update(message.raw).digest('hex');
  const messageId = message.headers.getFirst('message-id');
  const keyOf = (target: Target): string => createHash('sha256').update(`${messageId}\n${target.address}\n${contentHash}`).digest('hex').slice(0, 32);
  const done: string[] = [];
  for (const target of transaction.targets) done.push(await deliverTo(deliverer, transaction, target, keyOf(target)));
  return `2.0.0 ${done.join('; ')}`;
}

async function deliverTo(deliverer: Deliverer, transaction: Transaction, target: Target, key: string): Promise<string> {
  const { services, relay } = deliverer;
  const { message, sender } = transaction;
  const { list } = target;
  const copy = (edit: (headers: Headers) => void): Buffer => {
    const headers = new Headers(message.headerBytes);
    const { believed, header } = transaction.authentication;
    stripUnbelievedResults(headers, believed);
    prependHeader(headers, 'Received', transaction.received);
    if (header !== undefined) prependHeader(headers, 'Authentication-Results', header);
    edit(headers);
    return Buffer.concat([headers.build(), message.body]);
  };
  switch (target.kind) {
    case 'list': {
      const family = services.catalog.resolver.family(list.family)?.header;
      const owners = (family?.owners.length ?? 0) > 0 || services.config.smtp.defaultOwners.length > 0;
      const edited = copy((headers) =>
        setListHeaders(headers, list, { hasOwners: owners, rewriteFrom: family?.rewriteFrom ?? false, postingClosed: list.rights.send.closed, unsubscribeOpen: !list.rights.unsubscribe.closed }),
      );
      const { members } = await services.membership.expand(list);
      const report = await relay.deliver({ key, sender: roleAddress(list, 'bounces'), recipients: members, message: edited, priority: list.priority, list: list.address });
      services.logger.info({ list: list.address, sender, ...report }, 'message relayed to the list');
      return `${list.address}: ${members.length} member(s)`;
    }
    case 'owner': {
      await relay.deliver({ key, sender, recipients: target.owners, message: copy(() => undefined), priority: list.priority, list: list.address });
      return `${target.address}: ${target.owners.length} owner(s)`;
    }
    case 'request': {
      // RFC 3834: no answer to the null sender, nor to what is itself automatic.
      if (sender === '' || loopReason(message.headers, sender, list) !== undefined) return `${target.address}: no answer to an automatic message`;
      const reply = await requestReply(list, sender, message.headers);
      await relay.deliver({ key, sender: '', recipients: [sender], message: reply, priority: list.priority, list: list.address });
      return `${target.address}: answered`;
    }
    case 'bounces': {
      const failed = await failedRecipients(message.raw);
      if (failed === undefined) {
        services.logger.info({ list: list.address, sender }, 'mail to a bounce address that is no delivery status notification: dropped');
        return `${target.address}: not a delivery status notification, dropped`;
      }
      for (const f of failed) deliverer.services.bounces.record({ list: list.address, address: f.address, status: f.status, source: 'dsn', ...(f.diagnostic ? { diagnostic: f.diagnostic } : {}) });
      return `${target.address}: ${failed.length} failed recipient(s) recorded`;
    }
  }
}
