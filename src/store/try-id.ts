import { randomBytes } from 'node:crypto';

/** This process: its start, pid and a few random bytes keep apart the names of restarted processes, of workers started together and of replicas. */
const STARTED = `${Date.now().toString(36)}${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
let tries = 0;

/** A name for a new try of the message `key`, unique among the processes sharing the records: KEY-PROCESS-N. */
export function tryId(key: string): string {
  return `${key}-${STARTED}-${(++tries).toString(36)}`;
}
