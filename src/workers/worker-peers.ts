import type { Logger } from '../log.js';
import type { ToSupervisor, ToWorker } from './messages.js';
import type { PeerEvent, Peers } from './peers.js';

/** How long a worker waits for the others to apply what it published (a stuck worker must not hold a request). */
const PUBLISH_TIMEOUT_MS = 10_000;

type Answer = Extract<ToWorker, { autolist: 'published' | 'metrics' }>;

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
    if (answer === undefined || answer.autolist !== 'metrics' || answer.text === undefined) throw new Error(`the workers' metrics could not be gathered: ${answer?.autolist === 'metrics' ? answer.error : 'no answer in time'}`);
    return answer.text;
  };

  /** Sends a request and waits for its answer; undefined after the timeout or without a supervisor. */
  private ask(request: (id: number) => ToSupervisor): Promise<Answer | undefined> {
    if (!process.connected || process.send === undefined) return Promise.resolve(undefined);
    const id = ++this.nextId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(undefined), PUBLISH_TIMEOUT_MS);
      const settle = (answer: Answer | undefined): void => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(answer);
      };
      this.waiting.set(id, settle);
      process.send!(request(id));
    });
  }
}
