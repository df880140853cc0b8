import { Counter, Histogram, type Metric, type Registry } from 'prom-client';
import {
  BOUNCE_SOURCES,
  type BounceRecorder,
  type DirectoryRecorder,
  POLICY_RESULTS,
  type PostfixRecorder,
  type RelayRecorder,
  SMTP_SESSION_OUTCOMES,
  SOCKETMAP_RESULTS,
  type SmtpRecorder,
} from './recorders.js';

/** A reply code as a label: the code itself, or `other` for anything that is not one. */
const REPLY_CODE = /^[1-5]\d\d$/;

/**
 * The mail path's counters and histograms of one process's services: each part records through its
 * recorder (`smtp`, `relay`, `postfix`, `directory`, `bounces`) where the event happens, and every
 * registry that serves them (an app's, a worker's) holds the same objects (registerIn).
 */
export class MailMetrics {
  readonly smtp: SmtpRecorder;
  readonly relay: RelayRecorder;
  readonly postfix: PostfixRecorder;
  readonly directory: DirectoryRecorder;
  readonly bounces: BounceRecorder;
  private readonly metrics: Metric[] = [];

  constructor() {
    const sessionsOpened = this.counter('autolist_smtp_sessions_opened_total', 'SMTP sessions opened', []);
    const sessionsClosed = this.counter(
      'autolist_smtp_sessions_closed_total',
      'SMTP sessions closed, by outcome (quit, server_closed, client_closed, before_greeting)',
      ['outcome'],
      SMTP_SESSION_OUTCOMES,
    );
    const replies = this.counter('autolist_smtp_replies_total', 'SMTP replies sent, by code and the class.subject of their enhanced status code (none without one)', ['code', 'enhanced']);
    const accepted = this.counter('autolist_smtp_messages_accepted_total', 'Messages answered 250 at the end of DATA', []);
    this.smtp = {
      sessionOpened: () => sessionsOpened.inc(),
      sessionClosed: (outcome) => sessionsClosed.inc({ outcome }),
      reply: (code, enhanced) => replies.inc({ code: REPLY_CODE.test(String(code)) ? String(code) : 'other', enhanced: enhanced ?? 'none' }),
      messageAccepted: () => accepted.inc(),
    };

    const batchSeconds = this.histogram(
      'autolist_relay_batch_duration_seconds',
      'Time of one transaction with the relay (or one batch written to the outbox), from asking for a connection to its last reply',
      ['via'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    );
    const batches = this.counter('autolist_relay_batches_total', 'Transactions with the relay (or batches written to the outbox), by outcome (accepted, partial, refused, failed)', ['via', 'outcome']);
    const recipients = this.counter('autolist_relay_recipients_total', 'Recipients of the transactions with the relay, by outcome (accepted, bounced, deferred)', ['via', 'outcome']);
    this.relay = {
      batch: (via, seconds, fate) => {
        batchSeconds.observe({ via }, seconds);
        if (fate === undefined) return batches.inc({ via, outcome: 'failed' });
        const refused = fate.bounced + fate.deferred;
        batches.inc({ via, outcome: refused === 0 ? 'accepted' : fate.accepted === 0 ? 'refused' : 'partial' });
        recipients.inc({ via, outcome: 'accepted' }, fate.accepted);
        recipients.inc({ via, outcome: 'bounced' }, fate.bounced);
        recipients.inc({ via, outcome: 'deferred' }, fate.deferred);
      },
    };

    const policy = this.counter('autolist_postfix_policy_requests_total', 'Postfix policy requests answered, by result', ['result'], POLICY_RESULTS);
    const socketmap = this.counter('autolist_postfix_socketmap_requests_total', 'Postfix socketmap lookups answered, by result (found, not_found, temporary, perm)', ['result'], SOCKETMAP_RESULTS);
    this.postfix = { policy: (result) => policy.inc({ result }), socketmap: (result) => socketmap.inc({ result }) };

    const searchSeconds = this.histogram(
      'autolist_directory_search_duration_seconds',
      'Time of one directory search, from its start to its last entry read, by directory (ldap, embedded) and search (members, sender, membership)',
      ['directory', 'search'],
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    );
    this.directory = { search: (directory, search, seconds) => searchSeconds.observe({ directory, search }, seconds) };

    const bounces = this.counter(
      'autolist_bounces_total',
      'Bounces recorded, by source (relay: refused for good by the relay; dsn: reported by a delivery status notification)',
      ['source'],
      BOUNCE_SOURCES,
    );
    this.bounces = { bounce: (source, count = 1) => bounces.inc({ source }, count) };
  }

  /** Adds every metric to a registry (an app's, or the one a worker gives the supervisor). */
  registerIn(registry: Registry): void {
    for (const metric of this.metrics) registry.registerMetric(metric);
  }

  /** A counter; with `values`, its one label's series shown at 0 from the start (a rate is 0, not absent, until the first event). */
  private counter(name: string, help: string, labelNames: string[], values: readonly string[] = []): Counter {
    const counter = new Counter({ name, help, labelNames, registers: [] });
    for (const value of values) counter.inc({ [labelNames[0] as string]: value }, 0);
    this.metrics.push(counter);
    return counter;
  }

  private histogram(name: string, help: string, labelNames: string[], buckets: number[]): Histogram {
    const histogram = new Histogram({ name, help, labelNames, buckets, registers: [] });
    this.metrics.push(histogram);
    return histogram;
  }
}
