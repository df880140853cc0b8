import type { Headers } from 'mailsplit';
import addressparser from 'nodemailer/lib/addressparser';
import { normaliseSender } from '../address/sender-address.js';
import type { ListDefinition } from '../charter/list.js';
import { foldText } from '../i18n/index.js';
import { TOKEN_SHAPE } from '../links/index.js';
import type { HeldMessage, HeldStore } from '../store/held/index.js';
import { t } from './messages.js';
import type { Moderation, Verdict } from './moderation.js';
import { decisionText } from './notices.js';
import { previewOf } from './preview.js';
import { messageCapability } from './tokens.js';

/** A reply to LIST-request carrying a moderator's token, as the -request robot hands it over (what moderation reads of its context). */
export interface ModerationReplyContext {
  list: ListDefinition;
  /** The envelope sender, whom the answer goes to. */
  sender: string;
  message: { headers: Headers };
  /** The subject, then the first lines of the body that are not quotes (bounded by the robot). */
  lines: readonly string[];
  services: { held: HeldStore };
  moderation?: Moderation;
}

/** The words a decision starts with, in English or French (folded: no accents, lower case). */
const VERBS: Readonly<Record<string, Verdict['state']>> = {
  approve: 'approved',
  approved: 'approved',
  accept: 'approved',
  approuver: 'approved',
  approuve: 'approved',
  accepter: 'approved',
  reject: 'rejected',
  rejected: 'rejected',
  refuse: 'rejected',
  rejeter: 'rejected',
  rejete: 'rejected',
  refuser: 'rejected',
};

/** A rejection's reason, at most (as the moderation routes take it). */
const MAX_REASON_CHARS = 2000;

/**
 * The decision a reply says: the first of its body lines, then its subject (`Re:` ignored), whose
 * first word is approve or reject (`approuver`, `rejeter`, ...); a rejection's reason is the rest of
 * that line, without any token (the author is told the reason: never a moderator's capability).
 */
export function verdictIn(lines: readonly string[]): Verdict | undefined {
  const [subject = '', ...body] = lines;
  for (const line of [...body, subject]) {
    const [, word = '', rest = ''] = /^(?:\s*(?:re|tr|fw|fwd|aw)\s*:)*\s*(\S+)(.*)$/isu.exec(line) ?? [];
    const state = VERBS[foldText(word).replace(/[.,;:!]+$/, '')];
    if (state === undefined) continue;
    if (state === 'approved') return { state };
    const reason = rest
      .replace(TOKEN_SHAPE, '')
      .replace(/\[\s*\]/g, '')
      .replace(/^[\s:,.;—–-]+/, '')
      .trim()
      .slice(0, MAX_REASON_CHARS);
    return reason === '' ? { state } : { state, reason };
  }
  return undefined;
}

/** Whether the reply comes from the moderator the token was given to: its envelope sender or its From (a forwarder may rewrite one of them). */
function fromModerator({ sender, message }: ModerationReplyContext, moderator: string): boolean {
  const wanted = normaliseSender(moderator)?.address;
  const from = addressparser(Buffer.from(message.headers.getFirst('from'), 'binary').toString('utf8'), { flatten: true })[0]?.address ?? '';
  return wanted !== undefined && [sender, from].some((address) => normaliseSender(address)?.address === wanted);
}

/**
 * A moderator's reply to a notification (`moderate` token in the subject, `approve` or `reject
 * [reason]` on its first line): decides as the moderator's link does, the first decision winning;
 * the answer says what was done, or who decided first and when. Nothing is done for a token of
 * another list, a reply from another address than the moderator's, or a reply that says no decision.
 */
export async function moderationReply(data: Record<string, unknown>, context: ModerationReplyContext): Promise<{ subject: string; paragraphs: string[] }> {
  const { list, moderation } = context;
  const { language } = list;
  const { id, by } = messageCapability(data);
  const nothingDone = (key: 'replyNoModeration' | 'replyGone' | 'replyOtherList' | 'replyNotModerator' | 'replyNoVerb', held?: HeldMessage) => {
    const values = { list: list.address, sender: held?.sender || '<>', subject: (held && previewOf(held.raw).subject) || t(language, 'noSubject') };
    return { subject: t(language, 'replySubject', values), paragraphs: [t(language, key, values)] };
  };
  if (moderation === undefined) return nothingDone('replyNoModeration');
  const held = await context.services.held.get(id);
  if (held === undefined) return nothingDone('replyGone');
  if (held.list.toLowerCase() !== list.address.toLowerCase()) return nothingDone('replyOtherList');
  if (!fromModerator(context, by)) return nothingDone('replyNotModerator');
  const verdict = verdictIn(context.lines);
  if (verdict === undefined && held.state === 'held') return nothingDone('replyNoVerb', held);
  const { won, message } = verdict === undefined ? { won: false, message: held } : await moderation.decide(id, verdict, by);
  // A moderator's own earlier decision (their link, or this reply tried again) is theirs: they are told what it was.
  const theirs = won || message.decision?.by === by;
  const { subject, text } = decisionText(language, message, previewOf(message.raw), theirs);
  const reason = theirs ? message.decision?.reason : undefined;
  return { subject, paragraphs: [text, ...(reason ? [t(language, 'replyReason', { reason })] : [])] };
}
