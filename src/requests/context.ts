import type { Headers } from 'mailsplit';
import type { ListDefinition } from '../charter/list.js';
import type { Moderation } from '../moderation/index.js';
import type { Services } from '../services.js';

/** What the robot works with. */
export type RequestServices = Pick<Services, 'logger' | 'subscriptions' | 'links' | 'catalog' | 'held'>;

/** A mail to LIST-request: its parsed header and its body as received. */
export interface RequestMessage {
  headers: Headers;
  body: Buffer;
}

/** One mail to LIST-request being answered. */
export interface RequestContext {
  list: ListDefinition;
  /** The envelope sender, whom the answer goes to. */
  sender: string;
  message: RequestMessage;
  services: RequestServices;
  /** Decides on held messages, on a front that holds them: a moderator's reply acts through it. */
  moderation?: Moderation;
}

/** What a token reply's handler gets: the mail, and the lines the token was looked for in (the subject, then the first lines of the body; bounded). */
export interface TokenReplyContext extends RequestContext {
  lines: readonly string[];
}

/** What the robot says back: the answer's subject and its text (paragraphs), in the list's language; the signature is added. */
export interface RobotAnswer {
  subject: string;
  paragraphs: string[];
}
