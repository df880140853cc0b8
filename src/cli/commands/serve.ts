import { CharterError, formatDiagnostic } from '../../charter/errors.js';
import { loadConfig } from '../../config/config.js';
import { ListenError } from '../../errors.js';
import { buildApp } from '../../http/app.js';
import { reloadFamilies } from '../../http/reload.js';
import { startPolicyServer, startSocketmapServer } from '../../postfix/index.js';
import { buildServices, type Services } from '../../services.js';
import { startSmtp } from '../../smtp/index.js';
import { EXIT, UsageError, type Command } from '../command.js';

/** How long a graceful stop may take before the process exits anyway. */
const STOP_GRACE_MS = 10_000;

/** A listening front: what it is, where, and how to stop it (finishing the work under way). */
interface Front {
  name: string;
  url: string;
  close(): Promise<void>;
}

export const serve: Command = {
  name: 'serve',
  summary: 'serve the REST API, the explorer page, the SMTP front and the Postfix hooks',
  usage: `autolist serve

Serves, in one process:
  - the REST API (/v1, described at /openapi.json) and the list explorer page (/) on
    AUTOLIST_HTTP_HOST:AUTOLIST_HTTP_PORT (default 127.0.0.1:8080); on a host other than
    loopback, AUTOLIST_HTTP_READ_TOKEN and AUTOLIST_HTTP_ADMIN_TOKEN must be set;
  - the SMTP front on AUTOLIST_SMTP_HOST:AUTOLIST_SMTP_PORT (default 127.0.0.1:2525), relaying to
    AUTOLIST_RELAY_URL or, without it, writing to the outbox folder;
  - the Postfix policy server and socketmap table, when AUTOLIST_POSTFIX_POLICY_PORT and
    AUTOLIST_POSTFIX_SOCKETMAP_PORT are set.

SIGHUP recompiles the families folder and swaps it in at once; a charter that does not compile
is logged and the families in service stay. SIGTERM and SIGINT stop gracefully: new requests get
503, requests and mail under way finish, then the directory connections close. A front that
cannot listen (its port taken) stops autolist with exit code 75.`,
  options: {},
  async run(_values, positionals) {
    if (positionals.length > 0) throw new UsageError('serve takes no arguments');
    const config = loadConfig();
    // Installed first: SIGHUP's default action would end the process while it starts.
    let reload = (): void => {};
    process.on('SIGHUP', () => reload());
    const services = await buildServices(config);
    const { logger } = services;
    reload = () => {
      try {
        reloadFamilies(services);
      } catch (error) {
        // Whatever went wrong (a charter, an unreadable folder), the families in service stay.
        if (error instanceof CharterError) logger.error({ diagnostics: error.diagnostics.map(formatDiagnostic) }, 'families not reloaded: a charter does not compile; the families in service stay');
        else logger.error({ err: error }, 'families not reloaded; the families in service stay');
      }
    };
    const fronts = await startFronts(services).catch(async (error: unknown) => {
      await services.close();
      throw error;
    });
    logger.info(
      { fronts: Object.fromEntries(fronts.map((f) => [f.name, f.url])), families: services.catalog.resolver.families.map((f) => f.name), directory: services.directory.kind },
      'autolist serving',
    );
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    logger.info({ signal }, 'stopping: finishing the requests under way');
    // A second signal, or a stop that hangs, ends the process at once.
    const force = (): never => process.exit(EXIT.temporary);
    process.once('SIGTERM', force);
    process.once('SIGINT', force);
    setTimeout(force, STOP_GRACE_MS).unref();
    await closeAll(fronts);
    await services.close();
    logger.info('stopped');
    return EXIT.ok;
  },
};

/** Starts every configured front, in order; if one cannot listen, those already started are closed. */
async function startFronts(services: Services): Promise<Front[]> {
  const { http, smtp, postfix } = services.config;
  const fronts: Front[] = [];
  const start = async (name: string, host: string, port: number, listen: () => Promise<Front>): Promise<void> => {
    try {
      fronts.push(await listen());
    } catch (error) {
      await closeAll(fronts);
      throw new ListenError(name, host, port, error);
    }
  };
  await start('HTTP front', http.host, http.port, async () => {
    const app = await buildApp(services);
    return { name: 'http', url: await app.listen({ host: http.host, port: http.port }), close: () => app.close() };
  });
  await start('SMTP front', smtp.host, smtp.port, async () => {
    const front = await startSmtp(services);
    return { name: 'smtp', url: `smtp://${hostPort(front.address)}`, close: () => front.close() };
  });
  const { policyPort, socketmapPort, host } = postfix;
  if (policyPort !== undefined) {
    await start('Postfix policy server', host, policyPort, async () => {
      const server = await startPolicyServer(services, { host, port: policyPort });
      return { name: 'postfix-policy', url: `inet:${hostPort(server.address)}`, close: () => server.close() };
    });
  }
  if (socketmapPort !== undefined) {
    await start('Postfix socketmap server', host, socketmapPort, async () => {
      const server = await startSocketmapServer(services, { host, port: socketmapPort });
      return { name: 'postfix-socketmap', url: `socketmap:inet:${hostPort(server.address)}:lists`, close: () => server.close() };
    });
  }
  return fronts;
}

/** Closes the fronts, the last started first. */
async function closeAll(fronts: Front[]): Promise<void> {
  for (const front of [...fronts].reverse()) await front.close();
}

function hostPort(address: { host: string; port: number }): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
