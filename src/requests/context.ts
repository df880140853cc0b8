import type { Headers } from 'mailsplit';
import type { ListDefinition } from '../charter/list.js';
import type { Services } from '../services.js';

/** What the robot works with. */
export type RequestServices = Pick<Services, 'logger' | 'subscriptions' | 'links' | 'catalog'>;

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
}

/** What the robot says back: the answer's subject and its text (paragraphs), in the list's language; the signature is added. */
export interface RobotAnswer {
  subject: string;
  paragraphs: string[];
}
