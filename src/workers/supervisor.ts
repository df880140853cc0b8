import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type RegistryContentType } from 'prom-client';
import { RateLimiterClusterMaster } from 'rate-limiter-flexible';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { connectRedis } from '../store/redis-connection.js';
import { ReplicaPublisher } from '../store/replica-events.js';
import { type CpuPriority, lowerPriority } from './cpu-priority.js';
import { WorkerStartError } from './errors.js';
import { watchFamilies } from './families-watch.js';
import { withFreePorts } from './free-ports.js';
import { KeyLocks } from './key-locks.js';
import { type FrontName, type Listener, listenersOf } from './fronts.js';
import { isOwnMessage, type ToSupervisor, type ToWorker } from './messages.js';
import type { PeerEvent } from '../store/peers.js';

/** How long a graceful stop may take before the workers are killed. */
const STOP_GRACE_MS = 10_000;
/** How long the supervisor waits for every worker to apply an event. */
const EVENT_TIMEOUT_MS = 10_000;
/** A worker that stops on its own is started again after this delay, doubled (up to the maximum) while it keeps stopping within a minute. */
const RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;
const RESTART_RESET_MS = 60_000;

type Start = Extract<ToWorker, { autolist: 'start' }>;
type Applied = Extract<ToSupervisor, { autolist: 'applied' }>;

/** One front's workers: what each is told at start, how many run. */
interface FrontPlan {
  front: FrontName;
  start: Start;
  count: number;
  /** The workers' CPU priority (niceness 0: as the supervisor). */
  priority: CpuPriority;
}

export interface SupervisorOptions {
  config: Config;
  fronts: readonly FrontName[];
  logger: Logger;
  /** The families in service at start, for the log line that says autolist serves. */
  families: readonly string[];
  /** The kind of directory, for the same line. */
  directory: string;
}

/**
 * The primary process of `autolist serve`: runs each front in worker processes of its own (node:cluster,
 * WORKERS of each), so that API load cannot starve the mail path and every core is used. It shares
 * each front's port among its workers, passes each worker's events (reloads, invalidations, bounces) to
 * the others and waits until they applied them, sums the workers' metrics, keeps the rate limits'
 * counts for all of them, starts a worker again when one stops on its own, reloads every worker on
 * SIGHUP (and, with Redis, the other replicas) and, with WATCH_FAMILIES, when the families folder
 * changes, and stops them all on SIGTERM/SIGINT. Returns the exit code.
 */
export async function supervise(options: SupervisorOptions): Promise<number> {
  const { config, logger } = options;
  // Created before any worker: rate-limiter-flexible's workers register their limits with it, and prom-client's answer its requests.
  new RateLimiterClusterMaster();
  const metrics = new AggregatorRegistry();
  // The other replicas (sharing Redis) know this serve by it: what one of its workers publishes, the others had from here.
  const replica = randomUUID();
  const plans: FrontPlan[] = [];
  // Every front's ports picked at once: picked front by front, a port let go by one could be picked
  // again for the next, and node:cluster would then share one socket between two fronts.
  const all: Listener[] = await withFreePorts(options.fronts.flatMap((front) => listenersOf(front, config)));
  for (const front of options.fronts) {
    const names = new Set(listenersOf(front, config).map((l) => l.name));
    const listeners = all.filter((l) => names.has(l.name));
    // The API yields the CPU to the mail path (SMTP, Postfix lookups) when both want it, and has it all otherwise.
    const priority = front === 'http' ? config.workers.httpNiceness : 0;
    plans.push({ front, start: { autolist: 'start', front, listeners, replica }, count: config.workers[front], priority });
  }
  const supervisor = new Supervisor(plans, metrics, logger);
  let replicas: ReplicaPublisher | undefined;
  process.on('SIGHUP', () => {
    void supervisor.reload();
    replicas?.publish({ kind: 'reload' });
  });
  const urls = await supervisor.start();
  // Each replica watches its own folder: no event to the others, who see their own files change.
  const watcher = config.watchFamilies ? watchFamilies(config.familiesDir, () => void supervisor.reload(), logger) : undefined;
  // With Redis, a SIGHUP reloads the other replicas too (each its own families folder), as POST /v1/families/reload does.
  const { store } = config;
  const redis = store.kind === 'redis' ? connectRedis(store, logger, 'supervisor') : undefined;
  if (redis !== undefined && store.kind === 'redis') replicas = new ReplicaPublisher(redis, store.prefix, replica, logger);
  logger.info({ fronts: urls, workers: Object.fromEntries(plans.map((p) => [p.front, p.count])), families: options.families, directory: options.directory }, 'autolist serving');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger.info({ signal }, 'stopping: finishing the requests under way');
  // A second signal, or a stop that hangs, kills the workers and ends at once.
  const force = (): never => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
    process.exit(75);
  };
  process.once('SIGTERM', force);
  process.once('SIGINT', force);
  setTimeout(force, STOP_GRACE_MS).unref();
  watcher?.close();
  await supervisor.stop();
  redis?.disconnect();
  logger.info('stopped');
  return 0;
}

class Supervisor {
  private readonly planOf = new Map<Worker, FrontPlan>();
  private readonly pending = new Map<number, { waiting: Set<Worker>; answers: Applied[]; done: (answers: Applied[]) => void }>();
  private nextEventId = 0;
  private stopping = false;
  /** Set once every worker listened: before, a worker that stops fails the start instead of being replaced. */
  private serving = false;
  private readonly restarts = new Map<FrontName, { delayMs: number; lastAt: number }>();
  /** The delivery keys the SMTP workers hold: one try of a message at a time. */
  private readonly locks = new KeyLocks<Worker>();
  /** Each listening worker's CPU priority, once set (or found impossible to set). */
  private readonly prioritySet = new Map<Worker, Promise<void>>();

  constructor(
    private readonly plans: readonly FrontPlan[],
    private readonly metrics: AggregatorRegistry<RegistryContentType>,
    private readonly logger: Logger,
  ) {
    cluster.on('message', (worker, message) => {
      if (isOwnMessage<ToSupervisor>(message)) this.received(worker, message);
    });
    cluster.on('exit', (worker, code, signal) => this.exited(worker, code, signal));
  }

  /** Forks every worker; resolves with each listener's URL once all listen at their front's CPU priority; throws a WorkerStartError when one cannot start. */
  async start(): Promise<Record<string, string>> {
    const urls: Record<string, string> = {};
    let listening = 0;
    const total = this.plans.reduce((sum, plan) => sum + plan.count, 0);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (_worker: Worker, message: unknown): void => {
        if (!isOwnMessage<ToSupervisor>(message)) return;
        if (message.autolist === 'failed') fail(new WorkerStartError(message.message, message.temporary));
        if (message.autolist !== 'listening') return;
        Object.assign(urls, message.urls);
        if (++listening === total) finish();
      };
      const onExit = (worker: Worker, code: number | null, signal: string | null): void => {
        const plan = this.planOf.get(worker);
        fail(new WorkerStartError(`a ${plan?.front ?? ''} worker stopped while starting (${signal ?? `exit code ${code}`})`, false));
      };
      const stopListening = (): void => {
        cluster.off('message', onMessage);
        cluster.off('exit', onExit);
      };
      const finish = (): void => {
        stopListening();
        resolve();
      };
      const fail = (error: WorkerStartError): void => {
        stopListening();
        this.stop().then(() => reject(error), reject);
      };
      cluster.on('message', onMessage);
      cluster.on('exit', onExit);
      for (const plan of this.plans) for (let i = 0; i < plan.count; i++) this.fork(plan);
    });
    await Promise.all(this.prioritySet.values());
    this.serving = true;
    return urls;
  }

  /** Recompiles the families in every worker (SIGHUP) and says whether all did. */
  async reload(): Promise<void> {
    const answers = await this.broadcast({ kind: 'reload' });
    const failed = answers.filter((a) => a.error !== undefined);
    if (failed.length === 0) {
      this.logger.info({ workers: answers.length }, 'families reloaded on every worker');
      return;
    }
    const first = failed[0]!.error!;
    this.logger.error(
      { workers: answers.length, failed: failed.length, error: first.message, ...(first.diagnostics ? { diagnostics: first.diagnostics } : {}) },
      first.diagnostics ? 'families not reloaded: a charter does not compile; the families in service stay' : 'families not reloaded; the families in service stay',
    );
  }

  /** Tells every worker to finish its work (SIGTERM) and waits for all to exit. */
  async stop(): Promise<void> {
    this.stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            // A signal, not a message: a worker still loading has no listener yet, and dies of it as it should.
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  }

  private fork(plan: FrontPlan): void {
    const worker = cluster.fork();
    this.planOf.set(worker, plan);
    // A message to a worker that is exiting fails (EPIPE): its exit is handled, the message was moot.
    worker.on('error', (error) => this.logger.debug({ err: error, pid: worker.process.pid }, 'a worker could not be told'));
  }

  private received(worker: Worker, message: ToSupervisor): void {
    const plan = this.planOf.get(worker);
    if (message.autolist === 'waiting') {
      if (plan !== undefined) this.tell(worker, plan.start);
    } else if (message.autolist === 'listening') {
      // Lowered once it listens: it starts (the families compiled, the directory loaded) in a bounded
      // time whatever the mail path is doing, then serves below it.
      if (plan !== undefined) this.prioritySet.set(worker, this.lowerPriority(worker, plan));
    } else if (message.autolist === 'publish') {
      void this.broadcast(message.event, worker).then(() => this.tell(worker, { autolist: 'published', id: message.id }));
    } else if (message.autolist === 'applied') {
      const pending = this.pending.get(message.id);
      if (pending?.waiting.delete(worker)) {
        pending.answers.push(message);
        if (pending.waiting.size === 0) pending.done(pending.answers);
      }
    } else if (message.autolist === 'lock') {
      this.locks.acquire(message.key, worker, () => this.tell(worker, { autolist: 'locked', id: message.id }));
    } else if (message.autolist === 'unlock') {
      this.locks.release(message.key, worker);
    } else if (message.autolist === 'metrics') {
      this.metrics.clusterMetrics().then(
        (text: string) => this.tell(worker, { autolist: 'metrics', id: message.id, text }),
        (error: unknown) => this.tell(worker, { autolist: 'metrics', id: message.id, error: (error as Error).message }),
      );
    }
  }

  /** Sends an event to every connected worker but `except`; resolves with their answers once all applied it (or exited, or the time ran out). */
  private broadcast(event: PeerEvent, except?: Worker): Promise<Applied[]> {
    const id = ++this.nextEventId;
    const waiting = new Set(Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w !== except && w.isConnected()));
    if (waiting.size === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.logger.warn({ event: event.kind, missing: waiting.size }, 'workers did not all apply an event in time');
        done(entry.answers);
      }, EVENT_TIMEOUT_MS);
      const done = (answers: Applied[]): void => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(answers);
      };
      const entry = { waiting, answers: [] as Applied[], done };
      this.pending.set(id, entry);
      for (const worker of waiting) this.tell(worker, { autolist: 'event', id, event });
    });
  }

  private exited(worker: Worker, code: number | null, signal: string | null): void {
    const plan = this.planOf.get(worker);
    this.planOf.delete(worker);
    this.prioritySet.delete(worker);
    this.locks.forget(worker);
    // A worker gone answers no event: the events waiting for it go on without it.
    for (const pending of this.pending.values()) if (pending.waiting.delete(worker) && pending.waiting.size === 0) pending.done(pending.answers);
    if (this.stopping || !this.serving || plan === undefined) return;
    const now = Date.now();
    const last = this.restarts.get(plan.front);
    const delayMs = last === undefined || now - last.lastAt > RESTART_RESET_MS ? RESTART_DELAY_MS : Math.min(last.delayMs * 2, MAX_RESTART_DELAY_MS);
    this.restarts.set(plan.front, { delayMs, lastAt: now });
    this.logger.error({ front: plan.front, pid: worker.process.pid, code, signal, restartInMs: delayMs }, 'a worker stopped; another takes its place');
    setTimeout(() => {
      if (!this.stopping) this.fork(plan);
    }, delayMs).unref();
  }

  /** Lowers the worker's CPU priority as its front's plan says; a priority that cannot be set is said, and the worker runs all the same. */
  private async lowerPriority(worker: Worker, plan: FrontPlan): Promise<void> {
    if (worker.process.pid === undefined) return;
    try {
      await lowerPriority(worker.process.pid, plan.priority);
    } catch (error) {
      this.logger.warn({ err: error, front: plan.front, priority: plan.priority }, 'the CPU priority of a worker could not be set as configured');
    }
  }

  private tell(worker: Worker, message: ToWorker): void {
    if (worker.isConnected()) worker.send(message);
  }
}
