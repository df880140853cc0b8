import type { Listener } from './fronts.js';
import type { PeerEvent } from '../store/peers.js';

/** What the supervisor of `autolist serve` tells a worker. */
export type ToWorker =
  /** Serve these listeners (one front); `replica`: the id every worker of this serve gives the other replicas. */
  | { autolist: 'start'; front: string; listeners: Listener[]; replica: string }
  /** Apply what another worker (or a SIGHUP) caused, then answer `applied` with the same id. */
  | { autolist: 'event'; id: number; event: PeerEvent }
  /** Every other worker applied the event this worker published. */
  | { autolist: 'published'; id: number }
  /** The metrics of every worker, summed. */
  | { autolist: 'metrics'; id: number; text?: string; error?: string }
  /** The key asked for under this id is this worker's until it lets go. */
  | { autolist: 'locked'; id: number };

/** What a worker tells the supervisor. */
export type ToSupervisor =
  /** Ready to hear which front to serve (a message sent before the worker listens for it would be lost). */
  | { autolist: 'waiting' }
  | { autolist: 'listening'; urls: Record<string, string> }
  /** Could not start (a port taken, a directory unreadable): the supervisor stops with this message. */
  | { autolist: 'failed'; message: string; temporary: boolean }
  | { autolist: 'publish'; id: number; event: PeerEvent }
  /** An event applied; `error` when it could not be (a charter that does not compile: the families in service stay). */
  | { autolist: 'applied'; id: number; error?: { message: string; diagnostics?: string[] } }
  | { autolist: 'metrics'; id: number }
  /** Asks for a key (a message's tries), answered `locked` once no other worker holds it. */
  | { autolist: 'lock'; id: number; key: string }
  | { autolist: 'unlock'; key: string };

/** autolist's own messages on the IPC channel, which prom-client and rate-limiter-flexible share. */
export function isOwnMessage<T extends { autolist: string }>(message: unknown): message is T {
  return typeof message === 'object' && message !== null && typeof (message as { autolist?: unknown }).autolist === 'string';
}
