import { AutolistError } from '../errors.js';

/** A worker of `autolist serve` could not start (its port taken, its directory unreadable): nothing serves. */
export class WorkerStartError extends AutolistError {
  readonly code = 'WORKER_START_FAILED';

  constructor(
    message: string,
    readonly temporary: boolean,
  ) {
    super(message);
  }
}

/** The supervisor of `autolist serve` is gone (stopping, or killed): a worker finishes without it, and asks nothing more. */
export class SupervisorGoneError extends AutolistError {
  readonly code = 'SUPERVISOR_GONE';
  readonly temporary = true;
}

/** A worker's CPU priority could not be set as configured (HTTP_NICENESS): it runs, at the priority said in the message. */
export class PriorityNotSetError extends AutolistError {
  readonly code = 'PRIORITY_NOT_SET';
  readonly temporary = false;
}
