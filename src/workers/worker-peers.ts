import type { Logger } from '../log.js';
import type { ToSupervisor, ToWorker } from './messages.js';
import { SupervisorGoneError } from './errors.js';
import type { PeerEvent, Peers } from '../store/peers.js';

/** How long a worker waits for the others to apply what it published (a stuck worker must not hold a request). */
const PUBLISH_TIMEOUT_MS = 10_000;

type Answer = Extract<ToWorker, { autolist: 'published' | 'metrics' | 'locked' }>;

/** The other workers, reached through the supervisor over the IPC channel. */
export class WorkerPeers implements Peers {
  private nextId = 0;
  private readonly waiting = new Map<number, (answer: Answer | undefined) => void>();

  constructor(private readonly logger: Logger) {}

  /** Called with each answer the supervisor sends. */
  answered(answer: Answer): void {
    this.waiting.get(answer.id)?.(answer);
  }

  async publish(event: PeerEvent): Promise<void> {
    const answer = await this.ask((id) => ({ autolist: 'publish', id, event }));
    if (answer === undefined) this.logger.warn({ event: event.kind, timeoutMs: PUBLISH_TIMEOUT_MS }, 'the other workers did not all confirm an event in time');
  }

  readonly clusterMetrics = async (): Promise<string> => {
    const answer = await this.ask((id) => ({ autolist: 'metrics', id }));
    if (answer === undefined || answer.autolist !== 'metrics' || answer.text === undefined)
      throw new Error(`the workers' metrics could not be gathered: ${answer?.autolist === 'metrics' ? answer.error : 'no answer in time'}`);
    return answer.text;
  };

  async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    // No time limit: the key is held by another try of the same message, which ends in its own time (or with its worker).
    const answer = await this.ask((id) => ({ autolist: 'lock', id, key }), 0);
    if (answer === undefined) throw new SupervisorGoneError('autolist is stopping: the message is not sent now');
    try {
      return await work();
    } finally {
      if (process.connected) process.send?.({ autolist: 'unlock', key } satisfies ToSupervisor);
    }
  }

  /** Sends a request and waits for its answer; undefined after `timeoutMs` (0: none) or once the supervisor is gone. */
  private ask(request: (id: number) => ToSupervisor, timeoutMs = PUBLISH_TIMEOUT_MS): Promise<Answer | undefined> {
    if (!process.connected || process.send === undefined) return Promise.resolve(undefined);
    const id = ++this.nextId;
    return new Promise((resolve) => {
      const timer = timeoutMs > 0 ? setTimeout(() => settle(undefined), timeoutMs) : undefined;
      const gone = (): void => settle(undefined);
      process.once('disconnect', gone);
      const settle = (answer: Answer | undefined): void => {
        clearTimeout(timer);
        process.off('disconnect', gone);
        this.waiting.delete(id);
        resolve(answer);
      };
      this.waiting.set(id, settle);
      process.send!(request(id));
    });
  }
}
