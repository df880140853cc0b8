import MailComposer from 'nodemailer/lib/mail-composer';
import { TokenExpiredError, TokenInvalidError } from '../links/index.js';
import { shownDate } from '../i18n/index.js';
import { roleAddress } from '../recipients/index.js';
import { aboutAnswer } from './about-answer.js';
import { commandOf, requestLines, tokensIn } from './command.js';
import type { RequestContext, RobotAnswer } from './context.js';
import { t } from './messages.js';
import { outcomeAnswer } from './outcome-answer.js';
import { tokenExpiredAnswer, tokenInvalidAnswer } from './token-answers.js';
import { TOKEN_REPLIES } from './token-replies.js';

/**
 * The -request robot: answers a mail to LIST-request, in the list's language, with the mail to send
 * back to its sender. A token reply (a token in the subject or the first lines) is done by the
 * handler of its purpose; a `subscribe` or `unsubscribe` command (English or French) is asked for
 * confirmation by a token reply, as Sympa does; anything else gets what the list is and how to use it.
 */
export async function answerRequest(context: RequestContext): Promise<Buffer> {
  return compose(context, await answerOf(context));
}

async function answerOf(context: RequestContext): Promise<RobotAnswer> {
  const { list, sender, message, services } = context;
  const lines = requestLines(message.headers, message.body);
  const tokens = tokensIn(lines);
  let expired: { at: Date; purpose: string } | undefined;
  for (const token of tokens) {
    for (const [purpose, handler] of Object.entries(TOKEN_REPLIES)) {
      let data: Record<string, unknown> & { exp: number };
      try {
        data = services.links.signer.verify(purpose, token);
      } catch (error) {
        // Expired means signed for this purpose (the MAC is checked first): the answer says what ran out.
        if (error instanceof TokenExpiredError) expired ??= { at: error.expiredAt, purpose };
        else if (!(error instanceof TokenInvalidError)) throw error;
        continue;
      }
      return handler(data, { ...context, lines });
    }
  }
  if (expired !== undefined) return tokenExpiredAnswer(list, expired.at, expired.purpose);
  const command = commandOf(lines);
  if (command === 'subscribe' || command === 'unsubscribe') {
    const outcome = await services.subscriptions.request(list, sender, command);
    if (outcome.result !== 'confirm') return outcomeAnswer(list, outcome, command);
    const values = { list: list.address, description: list.description || list.name, address: sender, action: command, expires: shownDate(list.language, outcome.expiresAt) };
    return {
      subject: t(list.language, 'confirm.subject', { token: outcome.token }),
      paragraphs: [t(list.language, 'confirm.asked', values), t(list.language, 'confirm.how'), t(list.language, 'confirm.expires', values)],
    };
  }
  if (command === undefined && tokens.length > 0) return tokenInvalidAnswer(list);
  return aboutAnswer(list);
}

/** The answer as a mail from the request address, `Auto-Submitted: auto-replied` (RFC 3834), in reply to the message received. */
async function compose({ list, sender, message }: RequestContext, answer: RobotAnswer): Promise<Buffer> {
  const request = roleAddress(list, 'request');
  const text = [...answer.paragraphs, `-- \r\n${t(list.language, 'answer.signature', { request })}`].join('\r\n\r\n');
  const messageId = message.headers.getFirst('message-id');
  const references = [message.headers.getFirst('references'), messageId].filter(Boolean).join(' ');
  const composer = new MailComposer({
    from: request,
    to: sender,
    subject: answer.subject,
    text,
    headers: { 'Auto-Submitted': 'auto-replied', 'Content-Language': list.language },
    ...(messageId ? { inReplyTo: messageId, references } : {}),
  });
  return composer.compile().build();
}
