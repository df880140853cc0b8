import type { Headers } from 'mailsplit';
import addressparser from 'nodemailer/lib/addressparser';
import type { ListDefinition } from '../charter/list.js';
import { listId } from './list-headers.js';
import { t } from './messages.js';

/** More Received headers than this: the message is going round (RFC 5321 suggests at least 100 hops; lists loop long before). */
const MAX_RECEIVED = 50;

/** Senders that are programs: their mail to a list is a bounce or an automatic answer going round. */
const ROBOT = /^(mailer-daemon|mailerdaemon|listserv|majordomo|sympa|mailman|ezmlm|owner-.+|.+-(owner|request|bounces?))$/i;

/**
 * Why the message must not go to the list again, in the list's language, or undefined: it already went through this list
 * (our X-Loop or List-Id), it is automatic (Auto-Submitted other than `no`, RFC 3834), a mailer
 * daemon or a list robot sent it, or it has passed too many servers.
 */
export function loopReason(headers: Headers, envelopeSender: string, list: ListDefinition): string | undefined {
  const values = (key: string): string[] =>
    headers.get(key).map((line) =>
      line
        .slice(line.indexOf(':') + 1)
        .replace(/\s+/g, ' ')
        .trim()
        .toLowerCase(),
    );
  const { language } = list;
  if (values('x-loop').some((v) => v.includes(list.address))) return t(language, 'loopXLoop', { list: list.address });
  if (values('list-id').some((v) => v.includes(`<${listId(list)}>`))) return t(language, 'loopListId', { list: list.address });
  const automatic = values('auto-submitted').find((v) => v.split(';')[0]?.trim() !== 'no');
  if (automatic !== undefined) return t(language, 'loopAutomatic', { value: automatic });
  const author = addressparser(values('from')[0] ?? '', { flatten: true })[0]?.address ?? '';
  for (const [key, address] of [
    ['loopRobotSender', envelopeSender],
    ['loopRobotFrom', author],
  ] as const) {
    const at = address.lastIndexOf('@');
    const local = at > 0 ? address.slice(0, at) : address;
    if (local !== '' && ROBOT.test(local)) return t(language, key, { local });
  }
  const hops = headers.get('received').length;
  if (hops > MAX_RECEIVED) return t(language, 'loopHops', { hops: String(hops), max: String(MAX_RECEIVED) });
  return undefined;
}
