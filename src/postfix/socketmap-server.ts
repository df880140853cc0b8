import type { Logger } from '../log.js';
import type { PostfixRecorder, SocketmapResult } from '../metrics/recorders.js';
import { replyText } from '../reply/reply-text.js';
import type { Services } from '../services.js';
import { lookupList, type ListLookupServices } from './list-lookup.js';
import { netstring, NetstringDecoder } from './netstring.js';
import { listenSettings, type PostfixServerOptions } from './server-options.js';
import { smtpTransport } from './smtp-transport.js';
import { startRequestServer, type RunningServer } from './tcp-server.js';

/** The one map served: `socketmap:inet:HOST:PORT:lists`. */
export const LISTS_MAP = 'lists';

/** A request is a map name and a key (an address): far below this unless something is wrong. */
export const MAX_SOCKETMAP_REQUEST_BYTES = 10_000;

export interface SocketmapServerOptions extends PostfixServerOptions {
  /** The data answered with OK for an existing list (default: POSTFIX_SOCKETMAP_VALUE, else the SMTP front's transport). */
  value?: string;
}

/**
 * The Postfix socketmap server (socketmap_table(5)): map `lists` answers `OK VALUE` for an address
 * that is a list taking mail, `NOTFOUND ` for any other, `TEMP reason` when the directory cannot
 * say; another map name is `PERM`. For relay_recipient_maps (any value) or transport_maps (the
 * value is the transport to the SMTP front).
 */
export function startSocketmapServer(services: Services, options: SocketmapServerOptions): Promise<RunningServer> {
  const logger = services.logger.child({ front: 'postfix-socketmap' });
  const { postfix, smtp } = services.config;
  const value = options.value ?? postfix.socketmapValue ?? smtpTransport(smtp);
  const metrics = services.mailMetrics.postfix;
  return startRequestServer({
    name: 'postfix socketmap server',
    ...listenSettings(postfix, options),
    logger,
    decoder: () => new NetstringDecoder(MAX_SOCKETMAP_REQUEST_BYTES),
    answer: async (request, peer) => netstring(await socketmapReply(services, request.toString('utf8'), value, peer, logger, metrics)),
  });
}

async function socketmapReply(services: ListLookupServices, request: string, value: string, peer: string, logger: Logger, metrics: PostfixRecorder): Promise<string> {
  const answered = (result: SocketmapResult, reply: string): string => {
    metrics.socketmap(result);
    return reply;
  };
  const space = request.indexOf(' ');
  if (space <= 0) return answered('perm', 'PERM expected a map name and a key');
  const map = request.slice(0, space);
  const key = request.slice(space + 1);
  if (map !== LISTS_MAP) return answered('perm', `PERM ${replyText(`no map ${map}: this server has only ${LISTS_MAP}`)}`);
  const found = await lookupList(services, key);
  const fields = { peer, key, ...found };
  switch (found.kind) {
    case 'found':
      logger.debug(fields, 'socketmap lookup');
      return answered('found', `OK ${value}`);
    case 'not-found':
      logger.debug(fields, 'socketmap lookup');
      return answered('not_found', 'NOTFOUND ');
    case 'temporary':
      logger.warn(fields, 'socketmap lookup');
      return answered('temporary', `TEMP ${replyText(found.reason)}`);
  }
}
