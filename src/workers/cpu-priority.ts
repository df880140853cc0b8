import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { promisify } from 'node:util';
import { PriorityNotSetError } from './errors.js';

/** A worker's CPU priority: a niceness (0 to 19), or Linux's idle scheduling class. */
export type CpuPriority = number | 'idle';

/** The niceness a worker gets when the idle class cannot be had (no chrt, not Linux). */
const IDLE_FALLBACK_NICENESS = 19;
const CHRT_TIMEOUT_MS = 5_000;

const run = promisify(execFile);

/**
 * Lowers the CPU priority of a process, every thread of it. Linux keeps the niceness and the
 * scheduling class per thread (setpriority(2) on a process id changes its main thread only); a
 * thread started later takes its creator's, the main thread's.
 *
 * 'idle' is SCHED_IDLE (set with util-linux's chrt, as Node has no call for it): a thread of that
 * class gives the core up as soon as any other thread wakes, where a niceness only weighs shares and
 * lets the running thread finish its slice first, a delay a mail worker would meet at each of a
 * message's steps. Throws a PriorityNotSetError when the class cannot be set; the process then has
 * niceness 19 instead.
 */
export async function lowerPriority(pid: number, priority: CpuPriority): Promise<void> {
  if (priority === 'idle') {
    try {
      await run('chrt', ['--idle', '--all-tasks', '--pid', '0', String(pid)], { timeout: CHRT_TIMEOUT_MS });
      return;
    } catch (error) {
      setNiceness(pid, IDLE_FALLBACK_NICENESS);
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'chrt (util-linux) is not installed' : (error as Error).message.trim();
      throw new PriorityNotSetError(`the idle scheduling class could not be set (${reason}): niceness ${IDLE_FALLBACK_NICENESS} instead`);
    }
  }
  if (priority !== 0) setNiceness(pid, priority);
}

function setNiceness(pid: number, niceness: number): void {
  for (const thread of threadsOf(pid)) {
    try {
      setPriority(thread, niceness);
    } catch (error) {
      // A thread that ended meanwhile.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

/** The process's threads (Linux's /proc); elsewhere the process itself. */
function threadsOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [pid];
  }
}
