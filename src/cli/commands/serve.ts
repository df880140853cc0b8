import cluster from 'node:cluster';
import { catalogFor } from '../../services.js';
import { loadConfig } from '../../config/config.js';
import { createLogger } from '../../log.js';
import { FileBounceRecord } from '../../store/bounces/file-record.js';
import { FRONT_NAMES, type FrontName, runWorker, supervise } from '../../workers/index.js';
import { UsageError, type Command } from '../command.js';
import { say } from '../messages.js';

export const serve: Command = {
  name: 'serve',
  summary: 'serve the REST API, the explorer page, the SMTP front and the Postfix hooks',
  usage: `autolist serve [--fronts http,smtp,postfix]

Serves, each front in worker processes of its own (AUTOLIST_HTTP_WORKERS, AUTOLIST_SMTP_WORKERS,
AUTOLIST_POSTFIX_WORKERS; default: one per core), so that load on one cannot starve another:
  - http: the REST API (/v1, described at /openapi.json) and the list explorer page (/) on
    AUTOLIST_HTTP_HOST:AUTOLIST_HTTP_PORT (default 127.0.0.1:8080); on a host other than
    loopback, AUTOLIST_HTTP_READ_TOKEN and AUTOLIST_HTTP_ADMIN_TOKEN must be set;
  - smtp: the SMTP front on AUTOLIST_SMTP_HOST:AUTOLIST_SMTP_PORT (default 127.0.0.1:2525),
    relaying to AUTOLIST_RELAY_URL or, without it, writing to the outbox folder;
  - postfix: the Postfix policy server and socketmap table, on AUTOLIST_POSTFIX_POLICY_PORT and
    AUTOLIST_POSTFIX_SOCKETMAP_PORT (served only when one is set).

--fronts   the fronts this process serves (default: all; postfix when its ports are set), so that
           an operator can run them apart, as separate services.

Cache invalidations, family reloads and bounces reach every worker; with AUTOLIST_REDIS_URL,
invalidations and reloads reach every replica too, and bounces and rate counts are every
replica's. SIGHUP recompiles the families folder in every worker (and every replica) and swaps
it in at once; a charter that does not compile is logged and the families in service stay. SIGTERM and SIGINT stop gracefully: new requests get
503, requests and mail under way finish, then the directory connections close. A worker that
stops on its own is started again. A front that cannot listen (its port taken) stops autolist
with exit code 75.`,
  options: { fronts: { type: 'string' } },
  async run(values, positionals) {
    if (cluster.isWorker) return runWorker();
    if (positionals.length > 0) throw new UsageError(say('usage.no-arguments', { command: 'serve' }));
    const config = loadConfig();
    const fronts = frontsOption(values.fronts, config.postfix.policyPort !== undefined || config.postfix.socketmapPort !== undefined);
    // Installed first: SIGHUP's default action would end the process while it starts.
    process.on('SIGHUP', () => {});
    const logger = createLogger(config.logLevel);
    // Checked here, once, so that a charter that does not compile stops autolist before any worker starts.
    const catalog = catalogFor(config, logger);
    // Compacted here, before the workers append to it (in Redis, bounces are compacted as they come).
    if (config.store.kind === 'files') await (await FileBounceRecord.open(config.smtp.bouncesFile, logger)).close();
    return supervise({ config, fronts, logger, families: catalog.resolver.families.map((f) => f.name), directory: config.directory.kind });
  },
};

function frontsOption(value: string | boolean | undefined, postfixConfigured: boolean): FrontName[] {
  if (typeof value !== 'string') return FRONT_NAMES.filter((f) => f !== 'postfix' || postfixConfigured);
  const names = value.split(',').map((n) => n.trim());
  for (const name of names) if (!(FRONT_NAMES as readonly string[]).includes(name)) throw new UsageError(say('usage.front', { name, fronts: FRONT_NAMES.join(', ') }));
  if (names.includes('postfix') && !postfixConfigured) throw new UsageError(say('usage.postfix'));
  return FRONT_NAMES.filter((f) => names.includes(f));
}
