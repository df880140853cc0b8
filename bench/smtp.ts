/**
 * The SMTP front against Postfix's own tools, in one run, into one smtp-sink:
 *  (1) one message from a chef to liste.personnels-national (a 100,000-person directory) through
 *      autolist, against smtp-source sending the same message to as many recipients in batches of
 *      AUTOLIST_RELAY_BATCH_SIZE straight to the sink; target at most 1.5x smtp-source's time, resident memory
 *      under 250 MB;
 *  (2) smtp-source pushing 2,000 messages over 20 sessions into autolist, each to a list of about 40
 *      members, against the same load (2,000 messages of as many recipients) straight to the sink;
 *      target at least 30% of the direct rate.
 * The directory is a slapd loaded with the 100,000-person fixture of bench/directory-fixture.ts, so
 * that the resident memory is autolist's own. autolist syncs each message's delivery record to disk
 * (AUTOLIST_RELAY_STATE_DIR, a temporary folder here) before its 250; the sink writes nothing. Prints figures
 * and ratios; asserts nothing.
 *   npm run bench:smtp
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/log.js';
import { buildServices } from '../src/services.js';
import { startSmtp } from '../src/smtp/index.js';
import { SmtpSink } from '../test/smtp/smtp-sink.js';
import { fixtureFile, startSlapd } from './directory-fixture.js';

const run = promisify(execFile);
const SENDER = 'chef.bretagne@example.org';
const NATIONAL = 'liste.personnels-national@lists.example.org';
/** Lists of about 40 members in the 100k directory; the nearest to 40 is used for (2). */
const SMALL_LISTS = ['liste.chefs.militaires-56', 'liste.chefs.civils-site-vannes', 'liste.pilotes.civils-site-lorient', 'liste.chefs-site-lorient', 'liste.gendarmes.militaires-29'];
const BODY_BYTES = 2000;
const MESSAGES = 2000;
const SESSIONS = 20;

const slapd = await startSlapd(await fixtureFile());
const sink = await SmtpSink.start({ dump: false });
const state = mkdtempSync(join(tmpdir(), 'autolist-bench-state-'));
// 2,000 messages a run from one sender go past any rate a sender should have: the per-sender rates are off here.
const env = {
  AUTOLIST_LDAP_URL: slapd.url,
  AUTOLIST_LDAP_BIND_DN: slapd.bindDN,
  AUTOLIST_LDAP_BIND_PASSWORD: slapd.password,
  AUTOLIST_SMTP_PORT: '0',
  AUTOLIST_RELAY_URL: sink.url,
  AUTOLIST_RELAY_STATE_DIR: state,
  AUTOLIST_SMTP_RATE_MESSAGES_PER_SENDER: '0',
  AUTOLIST_SMTP_RATE_RECIPIENTS_PER_SENDER: '0',
  AUTOLIST_LOG_LEVEL: 'warn',
};
const config = loadConfig({ ...process.env, ...env });
const services = await buildServices(config, { logger: createLogger('warn', 'stderr') });
const front = await startSmtp(services);
const { batchSize, parallelBatches } = config.relay;

/** How long the work takes, and the peak resident memory of this process (autolist) meanwhile, sampled every 10 ms. */
async function timed(work: () => Promise<unknown>): Promise<{ seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const started = performance.now();
  await work().finally(() => clearInterval(sampler));
  peak = Math.max(peak, process.memoryUsage.rss());
  return { seconds: (performance.now() - started) / 1000, peakRssMb: peak / 1024 / 1024 };
}

/** smtp-source: `messages` messages of `recipients` recipients each, over `sessions` sessions (kept open with `reuse`). */
function smtpSource(port: number, options: { messages: number; sessions: number; recipients: number; to: string; reuse?: boolean }): Promise<unknown> {
  const args = [...(options.reuse ? ['-d'] : []), '-s', String(options.sessions), '-m', String(options.messages), '-r', String(options.recipients)];
  args.push('-l', String(BODY_BYTES), '-f', SENDER, '-t', options.to, '-M', 'bench.example.org', `127.0.0.1:${port}`);
  return run('/usr/sbin/smtp-source', args, { timeout: 600_000 });
}

const line = (label: string, value: string): void => console.log(`${label.padEnd(64)} ${value}`);

try {
  const national = services.catalog.resolver.resolve(NATIONAL);
  const expansion = await timed(() => services.membership.expand(national));
  const count = (await services.membership.expand(national)).members.length;
  line(`(1) ${NATIONAL}`, `${count.toLocaleString('en')} members (expanded in ${expansion.seconds.toFixed(2)} s, then cached)`);
  line('    resident memory before sending (members held)', `${(process.memoryUsage.rss() / 1024 / 1024).toFixed(0)} MB`);
  const direct1 = await timed(() => smtpSource(sink.port, { messages: Math.ceil(count / batchSize), sessions: parallelBatches, recipients: batchSize, to: 'member@example.org' }));
  line(`    smtp-source -> sink, ${batchSize} rcpt a transaction, ${parallelBatches} sessions`, `${direct1.seconds.toFixed(2)} s`);
  const through1 = await timed(() => smtpSource(front.address.port, { messages: 1, sessions: 1, recipients: 1, to: NATIONAL }));
  line('    smtp-source -> autolist -> sink', `${through1.seconds.toFixed(2)} s, peak RSS ${through1.peakRssMb.toFixed(0)} MB`);
  line('    autolist / smtp-source time (target <= 1.5)', (through1.seconds / direct1.seconds).toFixed(2));

  let small = { address: '', members: 0 };
  for (const name of SMALL_LISTS) {
    const list = services.catalog.resolver.resolve(`${name}@lists.example.org`);
    const n = (await services.membership.expand(list)).members.length;
    if (Math.abs(n - 40) < Math.abs(small.members - 40)) small = { address: list.address, members: n };
  }
  line(`(2) ${MESSAGES} messages, ${SESSIONS} sessions, to ${small.address}`, `${small.members} members`);
  // smtp-server holds every new connection 100 ms before its greeting (an early-talker check, fixed in
  // its code, with no option to turn it off): 20 sessions of one message each reach 200 messages a
  // second at most. Sessions carrying many messages (-d), as an MTA's connection cache sends them,
  // are compared first, twice: the first run also pays for the JIT compiling autolist's code, the
  // second is the rate a running front keeps. Then a connection per message.
  const runs: Array<{ reuse: boolean; label: string }> = [
    { reuse: true, label: 'sessions kept open (-d), run 1' },
    { reuse: true, label: 'sessions kept open (-d), run 2' },
    { reuse: false, label: 'a connection per message' },
  ];
  for (const { reuse, label } of runs) {
    const load = { messages: MESSAGES, sessions: SESSIONS, reuse };
    const direct2 = await timed(() => smtpSource(sink.port, { ...load, recipients: small.members, to: 'member@example.org' }));
    const through2 = await timed(() => smtpSource(front.address.port, { ...load, recipients: 1, to: small.address }));
    const directRate = MESSAGES / direct2.seconds;
    const throughRate = MESSAGES / through2.seconds;
    line(`    ${label}`, '');
    line('      smtp-source -> sink', `${directRate.toFixed(0)} msg/s`);
    line('      smtp-source -> autolist -> sink', `${throughRate.toFixed(0)} msg/s, peak RSS ${through2.peakRssMb.toFixed(0)} MB`);
    line('      autolist / direct rate (target >= 0.30)', (throughRate / directRate).toFixed(2));
  }
} finally {
  await front.close();
  await services.close();
  await sink.dispose();
  await slapd.dispose();
  rmSync(state, { recursive: true, force: true });
}
