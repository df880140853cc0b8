import { replyText } from './reply-text.js';

/**
 * An SMTP reply refusing a command, as smtp-server sends an error given to a callback: `responseCode`
 * is the reply code (never left to smtp-server, which would make it a permanent 550), and the text
 * starts with the RFC 3463 enhanced status code.
 */
export class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    readonly status: string,
    text: string,
  ) {
    super(`${status} ${replyText(text)}`);
    this.name = 'SmtpReply';
  }
}
