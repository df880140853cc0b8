import { loadConfig } from '../../config/config.js';
import { createLogger } from '../../log.js';
import { readBounces } from '../../store/bounces/index.js';
import { EXIT, UsageError, integerOption, out, type Command } from '../command.js';
import { say } from '../messages.js';

export const bounces: Command = {
  name: 'bounces',
  summary: 'list the member addresses whose mail bounced',
  usage: `autolist bounces [--list ADDRESS] [--limit N] [--json]

Prints the addresses the lists' mail could not reach, most bounced first: how many times, the
lists, the last status and diagnostic. They are read from where the SMTP front records the delivery
status notifications sent to the lists' bounce addresses (LIST-bounces@...) and the recipients the
relay refused for good: Redis when AUTOLIST_REDIS_URL is set (every replica's bounces), else
AUTOLIST_BOUNCES_FILE. An address that keeps bouncing is a stale directory entry. --list keeps the bounces of one list; --limit caps the count (default 100).`,
  options: { list: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, positionals) {
    if (positionals.length > 0) throw new UsageError(say('usage.no-arguments', { command: 'bounces' }));
    if (values.list === true) throw new UsageError(say('usage.list-address'));
    const limit = integerOption(values.limit, 'limit', 100) as number;
    const config = loadConfig();
    const tally = await readBounces(config, createLogger(config.logLevel, 'stderr'));
    const result = tally.query({ limit, ...(typeof values.list === 'string' ? { list: values.list.trim().toLowerCase() } : {}) });
    if (values.json) out(JSON.stringify(result, null, 2));
    else if (result.total === 0) out(say('bounces.none'));
    else {
      for (const a of result.addresses)
        out(
          `${String(a.count).padStart(5)}  ${a.address}  ${a.lastStatus}  ${say('bounces.last', { at: a.lastAt })}  ${say('bounces.lists', { lists: a.lists.join(', ') })}${a.lastDiagnostic ? `\n       ${a.lastDiagnostic}` : ''}`,
        );
      if (result.total > result.addresses.length) out(say('bounces.more', { count: result.total - result.addresses.length }));
    }
    return EXIT.ok;
  },
};
