import MailComposer from 'nodemailer/lib/mail-composer';
import type { ListDefinition } from '../charter/list.js';
import { type Language, shownDate } from '../i18n/index.js';
import { roleAddress } from '../recipients/index.js';
import type { HeldMessage } from '../store/held/index.js';
import { t } from './messages.js';
import type { HeldPreview } from './preview.js';

/** Who decided, as a person reads it: a moderator's address, an administrator, or nobody (expiry). */
export function shownDecider(language: Language, by: string): string {
  if (by === 'admin') return t(language, 'administrator');
  if (by === 'expiry') return t(language, 'expiry');
  return by;
}

/** A mail from LIST-request, automatic (RFC 3834), in paragraphs with the signature. */
async function compose(list: ListDefinition, to: string, subject: string, paragraphs: string[], extra: { attach?: Buffer; autoSubmitted?: string } = {}): Promise<Buffer> {
  const request = roleAddress(list, 'request');
  const text = [...paragraphs, `-- \r\n${t(list.language, 'signature', { request })}`].join('\r\n\r\n');
  const composer = new MailComposer({
    from: request,
    to,
    subject,
    text,
    headers: { 'Auto-Submitted': extra.autoSubmitted ?? 'auto-generated' },
    ...(extra.attach === undefined ? {} : { attachments: [{ content: extra.attach, contentType: 'message/rfc822', filename: 'message.eml' }] }),
  });
  return composer.compile().build();
}

/** What a moderator receives: the message attached, the link to decide, how to reply instead, the token in the subject. */
export function moderatorNotice(list: ListDefinition, held: HeldMessage, preview: HeldPreview, to: string, links: { token: string; message: string; list: string }): Promise<Buffer> {
  const { language } = list;
  const subject = preview.subject || t(language, 'noSubject');
  const sender = held.sender || '<>';
  const paragraphs = [
    t(language, 'notifyIntro', { sender, list: list.address, description: list.description || list.name, subject, expires: shownDate(language, held.expiresAt) }),
    t(language, 'notifyLink', { link: links.message }),
    t(language, 'notifyReply'),
    t(language, 'notifyList', { list: list.address, link: links.list }),
    t(language, 'notifyFirst'),
  ];
  // The token in the subject: a reply keeps it, and the -request robot reads it there.
  return compose(list, to, `${t(language, 'notifySubject', { sender, list: list.address })} [${links.token}]`, paragraphs, { attach: held.raw });
}

/** What the author is told of a rejection (with the moderator's reason) or of the expiry. */
export function authorNotice(list: ListDefinition, held: HeldMessage, preview: HeldPreview): Promise<Buffer> {
  const { language } = list;
  const values = { list: list.address, subject: preview.subject || t(language, 'noSubject'), heldAt: shownDate(language, held.heldAt), expires: shownDate(language, held.expiresAt) };
  if (held.state === 'expired') return compose(list, held.sender, t(language, 'expiredSubject', values), [t(language, 'expiredBody', values)]);
  const reason = held.decision?.reason?.trim();
  const paragraphs = [t(language, 'rejectedBody', values), ...(reason ? [t(language, 'rejectedReason', { reason })] : [])];
  return compose(list, held.sender, t(language, 'rejectedSubject', values), paragraphs);
}

/** What a moderator learns of a decision they tried: theirs was taken, or who decided first and how. */
export function decisionText(language: Language, held: HeldMessage, preview: HeldPreview, won: boolean): { subject: string; text: string } {
  const decision = held.decision;
  const base = { sender: held.sender || '<>', list: held.list, subject: preview.subject || t(language, 'noSubject'), state: held.state };
  if (won || decision === undefined) return { subject: t(language, 'decidedSubject', base), text: t(language, 'decidedBody', base) };
  const late = { ...base, by: shownDecider(language, decision.by), at: shownDate(language, decision.at) };
  return { subject: t(language, 'lateSubject', late), text: t(language, 'lateBody', late) };
}
