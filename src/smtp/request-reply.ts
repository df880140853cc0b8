import MailComposer from 'nodemailer/lib/mail-composer';
import type { Headers } from 'mailsplit';
import type { ListDefinition } from '../charter/list.js';
import { rightsSummary } from '../charter/describe.js';
import { roleAddress } from '../recipients/index.js';

const ACTION_NAMES = { send: 'Who may write to the list', review: 'Who may see its members', subscribe: 'Subscribing', unsubscribe: 'Unsubscribing' } as const;

/**
 * The automatic answer of LIST-request: what the list is and who may do what, sent from the request
 * address with `Auto-Submitted: auto-replied` (RFC 3834) as a reply to the message received.
 */
export async function requestReply(list: ListDefinition, to: string, received: Headers): Promise<Buffer> {
  const rights = rightsSummary(list.rights);
  const text = [
    `${list.address}: ${list.description || list.name}`,
    '',
    'Its members are the people of the directory this address describes; nobody joins or leaves it by mail.',
    '',
    ...Object.entries(ACTION_NAMES).map(([action, name]) => `${name}: ${rights[action as keyof typeof ACTION_NAMES]}.`),
    '',
    '-- ',
    `This is an automatic answer from ${roleAddress(list, 'request')}.`,
  ].join('\r\n');
  const messageId = received.getFirst('message-id');
  const references = [received.getFirst('references'), messageId].filter(Boolean).join(' ');
  const composer = new MailComposer({
    from: roleAddress(list, 'request'),
    to,
    subject: `About the list ${list.address}`,
    text,
    headers: { 'Auto-Submitted': 'auto-replied' },
    ...(messageId ? { inReplyTo: messageId, references } : {}),
  });
  return composer.compile().build();
}
