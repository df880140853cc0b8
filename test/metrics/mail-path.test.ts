/**
 * The mail path's metrics after real traffic (swaks, Postfix's postmap, a policy client) over slapd
 * and Postfix's smtp-sink as the relay: every front served in this process, then by `autolist
 * serve` with two workers a front, whose supervisor sums them. The Grafana dashboard's expressions
 * name only series that /metrics shows then. Last, a relay that refuses members: the bounces it
 * causes and the transactions it takes in part.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { createMetrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/log.js';
import { buildServices, type Services } from '../../src/services.js';
import { type Front, FRONT_NAMES, listenersOf, startListener } from '../../src/workers/fronts.js';
import { dashboardExpressions, metricNames } from '../harness/grafana.js';
import { parseSeries, seriesOf, metricValue } from '../harness/prometheus.js';
import { ServeProcess } from '../harness/serve.js';
import { Slapd } from '../harness/slapd.js';
import { PolicyClient, postmap, rcptRequest } from '../postfix/helpers.js';
import { CHEF, chefs2a, dsn, LIST, message, startFront, swaks } from '../smtp/helpers.js';
import { TestRelay } from '../smtp/relay-server.js';
import { SmtpSink } from '../smtp/smtp-sink.js';

const D = '@lists.example.org';
/** Recipients a transaction: the list's 9 members go in 3 batches. */
const BATCH_SIZE = 4;
const BATCHES = Math.ceil(chefs2a.length / BATCH_SIZE);
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** Where the fronts listen: the URLs `autolist serve` logs (`http`, `smtp`, `postfix-policy`, `postfix-socketmap`). */
type Urls = Record<string, string>;

const portOf = (url: string | undefined): number => Number(/:(\d+)(?::lists)?$/.exec(url ?? '')?.[1]);

async function scrape(urls: Urls): Promise<string> {
  const response = await fetch(`${urls.http}/metrics`);
  assert.equal(response.status, 200);
  return response.text();
}

/**
 * What an operator's mail does, one of each: a message to a list (250, relayed in batches), a
 * recipient that is no list (550 5.1.1), a DSN to the list's bounce address, two policy requests
 * (allowed, refused), two socketmap lookups (found, not found).
 */
async function traffic(urls: Urls): Promise<void> {
  const smtp = portOf(urls.smtp);
  const sent = await swaks(smtp, { from: CHEF, to: LIST, data: message({ From: CHEF, To: LIST, Subject: 'metrics', 'Message-ID': '<metrics-1@example.org>' }, 'Hello.') });
  assert.equal(sent.code, 0, sent.transcript);
  const refused = await swaks(smtp, { from: CHEF, to: `liste.chefs-20${D}`, quitAfter: 'RCPT' });
  assert.match(refused.lastReply, /^550 5\.1\.1 /, refused.transcript);
  const bounce = await swaks(smtp, {
    from: '<>',
    to: `liste.chefs-2a-bounces${D}`,
    data: dsn(`liste.chefs-2a-bounces${D}`, 'parti.ailleurs@example.org', 'lent@example.org'),
    extra: ['--helo', 'mx.example.org'],
  });
  assert.match(bounce.lastReply, /^250 .*1 destinataire en echec enregistre/, bounce.transcript);

  const policy = await PolicyClient.connect(portOf(urls['postfix-policy']));
  try {
    assert.equal(await policy.ask(rcptRequest({ sender: CHEF, recipient: LIST })), 'DUNNO');
    assert.match((await policy.ask(rcptRequest({ sender: 'gendarme.bretagne@example.org', recipient: `liste.chefs-56${D}` }))) ?? '', /^550 5\.7\.1 /);
  } finally {
    policy.close();
  }
  const lookups = await postmap(portOf(urls['postfix-socketmap']), { keys: [LIST, `liste.chefs-20${D}`] });
  assert.equal(lookups.stdout.trim().split('\n').length, 1, lookups.stderr);
}

/** /metrics once every SMTP session is counted closed (each is, just after the client's QUIT). */
async function settled(urls: Urls): Promise<string> {
  for (;;) {
    const text = await scrape(urls);
    const opened = metricValue(text, 'autolist_smtp_sessions_opened_total');
    if (opened >= 3 && metricValue(text, 'autolist_smtp_sessions_closed_total') === opened) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The checks each way of serving must pass, after `traffic` and nothing else. */
function checks(state: { urls: Urls; sink: SmtpSink; text: string }): void {
  const value = (name: string, labels: Record<string, string> = {}): number => metricValue(state.text, name, labels);

  it('counts SMTP sessions and replies by code and enhanced status', () => {
    assert.equal(value('autolist_smtp_sessions_opened_total'), 3);
    assert.equal(value('autolist_smtp_sessions_closed_total', { outcome: 'quit' }), 3);
    // The end of DATA, 250 2.0.0, for the message and the DSN; MAIL and RCPT's 250 carry no enhanced code.
    assert.equal(value('autolist_smtp_replies_total', { code: '250', enhanced: '2.0' }), 2);
    assert.equal(value('autolist_smtp_replies_total', { code: '550', enhanced: '5.1' }), 1);
    assert.equal(value('autolist_smtp_replies_total', { code: '550' }), 1);
    assert.equal(value('autolist_smtp_replies_total', { code: '221' }), 3);
    assert.equal(value('autolist_smtp_messages_accepted_total'), 2);
  });

  it('counts the recipients relayed (the members) and times each batch transaction', () => {
    assert.equal(value('autolist_relay_recipients_total', { via: 'smtp', outcome: 'accepted' }), chefs2a.length);
    assert.equal(value('autolist_relay_recipients_total', { outcome: 'bounced' }), 0);
    assert.equal(state.sink.transactions().length, BATCHES);
    assert.equal(value('autolist_relay_batch_duration_seconds_count', { via: 'smtp' }), BATCHES);
    assert.equal(value('autolist_relay_batch_duration_seconds_bucket', { via: 'smtp', le: '+Inf' }), BATCHES);
    assert.equal(value('autolist_relay_batches_total', { via: 'smtp', outcome: 'accepted' }), BATCHES);
    assert.equal(value('autolist_relay_batches_total', { outcome: 'failed' }), 0);
  });

  it('counts the Postfix policy requests and socketmap lookups by result', () => {
    assert.equal(value('autolist_postfix_policy_requests_total', { result: 'accept' }), 1);
    assert.equal(value('autolist_postfix_policy_requests_total', { result: 'refuse' }), 1);
    assert.equal(value('autolist_postfix_policy_requests_total'), 2);
    assert.equal(value('autolist_postfix_socketmap_requests_total', { result: 'found' }), 1);
    assert.equal(value('autolist_postfix_socketmap_requests_total', { result: 'not_found' }), 1);
  });

  it('times the LDAP searches by kind, and counts the DSN bounce', () => {
    assert.ok(value('autolist_directory_search_duration_seconds_count', { directory: 'ldap', search: 'members' }) > 0);
    assert.equal(value('autolist_directory_search_duration_seconds_count', { directory: 'embedded' }), 0);
    assert.equal(value('autolist_bounces_total', { source: 'dsn' }), 1);
    assert.equal(value('autolist_bounces_total', { source: 'relay' }), 0);
    assert.equal(value('autolist_store_errors_total'), 0);
    assert.ok(seriesOf(state.text, 'autolist_store_errors_total').some((s) => s.labels.operation === 'lock'));
  });

  it("shows Node's default metrics under their usual names, and the build", () => {
    assert.ok(value('process_cpu_seconds_total') > 0);
    assert.ok(value('nodejs_heap_size_used_bytes') > 0);
    assert.ok(value('process_resident_memory_bytes') > 0);
    assert.ok(seriesOf(state.text, 'nodejs_eventloop_lag_p99_seconds').length > 0);
    assert.deepEqual(
      parseSeries(state.text).filter((s) => /^autolist_(process|nodejs)_/.test(s.name)),
      [],
    );
    assert.deepEqual(
      seriesOf(state.text, 'autolist_build_info').map((s) => [s.labels, s.value]),
      [[{ version: VERSION, node: process.version }, 1]],
    );
  });

  it('names in each panel of the Grafana dashboard only series /metrics shows', () => {
    const shown = new Set(parseSeries(state.text).map((s) => s.name));
    const expressions = dashboardExpressions(JSON.parse(readFileSync('docs/grafana-dashboard.json', 'utf8')));
    assert.ok(expressions.length > 0);
    const used = new Set<string>();
    for (const { panel, expr } of expressions) {
      const names = metricNames(expr);
      assert.ok(names.length > 0, `${panel}: ${expr}`);
      for (const name of names) {
        assert.ok(shown.has(name), `${panel}: ${name} is not on /metrics`);
        used.add(name);
      }
    }
    for (const name of [
      'autolist_smtp_replies_total',
      'autolist_relay_batch_duration_seconds_bucket',
      'autolist_relay_recipients_total',
      'autolist_postfix_policy_requests_total',
      'autolist_directory_search_duration_seconds_bucket',
      'autolist_bounces_total',
      'autolist_store_errors_total',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      assert.ok(used.has(name), `no panel shows ${name}`);
    }
  });
}

/** The configuration both ways of serving share: slapd, the sink as the relay, small batches, every front on a free port. */
function environment(slapd: Slapd, sink: SmtpSink, dir: string): Record<string, string> {
  return {
    AUTOLIST_LDAP_URL: slapd.url,
    AUTOLIST_LDAP_BIND_DN: slapd.bindDN,
    AUTOLIST_LDAP_BIND_PASSWORD: slapd.password,
    AUTOLIST_RELAY_URL: sink.url,
    AUTOLIST_RELAY_BATCH_SIZE: String(BATCH_SIZE),
    AUTOLIST_HTTP_HOST: '127.0.0.1',
    AUTOLIST_HTTP_PORT: '0',
    AUTOLIST_SMTP_PORT: '0',
    AUTOLIST_SMTP_HOSTNAME: 'lists.test',
    AUTOLIST_POSTFIX_POLICY_PORT: '0',
    AUTOLIST_POSTFIX_SOCKETMAP_PORT: '0',
    AUTOLIST_OUTBOX_DIR: join(dir, 'outbox'),
    AUTOLIST_RELAY_STATE_DIR: join(dir, 'state'),
    AUTOLIST_BOUNCES_FILE: join(dir, 'bounces.log'),
  };
}

/** slapd and a sink for a suite, with a folder of its own; all gone after it. */
function peers(): { slapd: () => Slapd; sink: () => SmtpSink; dir: () => string } {
  let slapd: Slapd;
  let sink: SmtpSink;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autolist-metrics-'));
    slapd = await Slapd.start({ ldif: 'demo/directory.ldif' });
    sink = await SmtpSink.start();
  });
  after(async () => {
    await sink?.dispose();
    await slapd?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  return { slapd: () => slapd, sink: () => sink, dir: () => dir };
}

describe('mail path metrics, every front in one process', { timeout: 180_000 }, () => {
  const peer = peers();
  const state = { urls: {} as Urls, sink: undefined as unknown as SmtpSink, text: '' };
  let services: Services;
  const fronts: Front[] = [];

  before(async () => {
    state.sink = peer.sink();
    const config = loadConfig(environment(peer.slapd(), state.sink, peer.dir()));
    services = await buildServices(config, { logger: createLogger('silent') });
    for (const front of FRONT_NAMES) for (const listener of listenersOf(front, config)) fronts.push(await startListener(services, listener));
    state.urls = Object.fromEntries(fronts.map((f) => [f.name, f.url]));
    await traffic(state.urls);
    state.text = await settled(state.urls);
  });
  after(async () => {
    for (const front of fronts.reverse()) await front.close();
    await services?.close();
  });

  checks(state);
});

describe('mail path metrics, autolist serve with two workers a front', { timeout: 180_000 }, () => {
  const peer = peers();
  const state = { urls: {} as Urls, sink: undefined as unknown as SmtpSink, text: '' };
  let server: ServeProcess;

  before(async () => {
    state.sink = peer.sink();
    server = ServeProcess.inFolder(peer.dir(), {
      ...environment(peer.slapd(), state.sink, peer.dir()),
      AUTOLIST_HTTP_WORKERS: '2',
      AUTOLIST_SMTP_WORKERS: '2',
      AUTOLIST_POSTFIX_WORKERS: '2',
    });
    state.urls = await server.fronts();
    await traffic(state.urls);
    state.text = await settled(state.urls);
  });
  after(async () => {
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  checks(state);
});

describe('mail path metrics, members the relay refuses', { timeout: 60_000 }, () => {
  it('counts a member refused for good as a bounce from the relay, and the transaction as partial', async () => {
    const relay = await TestRelay.start();
    const front = await startFront({ AUTOLIST_RELAY_URL: relay.url });
    try {
      const [gone, later] = chefs2a;
      relay.refusals.set(gone as string, 550);
      relay.refusals.set(later as string, 451);
      const sent = await swaks(front.front.address.port, { from: CHEF, to: LIST, data: message({ From: CHEF, To: LIST, Subject: 'metrics' }, 'Hello.') });
      // The member refused for now is refused again on the second try: the message is deferred.
      assert.match(sent.lastReply, /^451 4\.2\.0 /, sent.transcript);
      const text = await createMetrics(front.services).registry.metrics();
      assert.equal(metricValue(text, 'autolist_bounces_total', { source: 'relay' }), 1);
      assert.equal(metricValue(text, 'autolist_relay_recipients_total', { via: 'smtp', outcome: 'accepted' }), chefs2a.length - 2);
      assert.equal(metricValue(text, 'autolist_relay_recipients_total', { outcome: 'bounced' }), 1);
      // The one refused for now, in the first transaction and in the one that tries it again.
      assert.equal(metricValue(text, 'autolist_relay_recipients_total', { outcome: 'deferred' }), 2);
      assert.equal(metricValue(text, 'autolist_relay_batches_total', { outcome: 'partial' }), 1);
      assert.equal(metricValue(text, 'autolist_relay_batches_total', { outcome: 'refused' }), 1);
      assert.equal(metricValue(text, 'autolist_relay_batch_duration_seconds_count'), 2);
      assert.equal(metricValue(text, 'autolist_smtp_replies_total', { code: '451', enhanced: '4.2' }), 1);
      assert.equal(metricValue(text, 'autolist_smtp_messages_accepted_total'), 0);
    } finally {
      await front.close();
      await relay.close();
    }
  });
});
