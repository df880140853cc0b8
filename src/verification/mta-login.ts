import type { Headers } from 'mailsplit';

/**
 * Postfix's `smtpd_sasl_authenticated_header = yes` line, alone on a folded line of its Received:
 * what its client typed (the HELO) cannot hold a line break, so cannot spell it.
 */
const AUTHENTICATED_SENDER = /\r?\n[ \t]+\(Authenticated sender: ([^\s()]{1,256})\)\r?\n/;

/**
 * The login a trusted MTA in front authenticated its client as, from the Received header it added
 * on top of the message: its client cannot write above that header. Only for a message that MTA
 * forwarded (XFORWARD): from any other client the topmost Received is the client's own writing.
 */
export function mtaAuthenticatedUser(headers: Headers): string | undefined {
  const [topmost] = headers.get('received');
  return topmost === undefined ? undefined : AUTHENTICATED_SENDER.exec(topmost)?.[1];
}
