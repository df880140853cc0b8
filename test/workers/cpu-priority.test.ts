/**
 * The HTTP workers of `autolist serve` run below the mail path's priority, every thread of them
 * (Linux keeps the class and the niceness per thread): in Linux's idle class by default, at the
 * niceness HTTP_NICENESS says otherwise; the SMTP workers as the supervisor. A worker started again
 * after a crash is lowered too. Read from /proc.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { threadStats } from '../harness/proc-stat.js';
import { childrenOf, ServeProcess } from '../harness/serve.js';
import { waitUntil } from '../harness/wait.js';

const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

interface ThreadPriority {
  policy: number;
  niceness: number;
}

/** Each thread's scheduling policy and niceness (fields 41 and 19 of proc(5)'s stat). */
async function threadsOf(pid: number): Promise<ThreadPriority[]> {
  return (await threadStats(pid)).map((fields) => ({ policy: Number(fields[41 - 3]), niceness: Number(fields[19 - 3]) }));
}

/** The workers whose every thread is as `wanted` says (a worker gone meanwhile is not). */
async function workersWhere(server: ServeProcess, wanted: (thread: ThreadPriority) => boolean): Promise<number[]> {
  const workers = childrenOf(server.child.pid!);
  const matching = await Promise.all(
    workers.map((pid) =>
      threadsOf(pid).then(
        (threads) => threads.every(wanted),
        () => false,
      ),
    ),
  );
  return workers.filter((_, i) => matching[i]);
}

describe('the CPU priority of the workers', { timeout: 120_000 }, () => {
  const dirs: string[] = [];
  const servers: ServeProcess[] = [];
  after(async () => {
    for (const server of servers) await server.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** serve with one HTTP worker and two SMTP workers, once the HTTP worker answered a few requests (the thread pool started). */
  async function serve(env: Record<string, string> = {}): Promise<ServeProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'autolist-priority-'));
    dirs.push(dir);
    const server = ServeProcess.inFolder(dir, { AUTOLIST_HTTP_WORKERS: '1', AUTOLIST_SMTP_WORKERS: '2', ...env });
    servers.push(server);
    const http = String((await server.fronts()).http);
    for (const path of ['/healthz', '/readyz', '/v1/lists/liste.chefs-56@lists.example.org/members']) assert.equal((await fetch(`${http}${path}`)).status, 200);
    return server;
  }

  it('puts every thread of the HTTP worker in the idle class by default, the SMTP workers at the supervisor’s priority', async () => {
    const server = await serve();
    const idle = await workersWhere(server, (t) => t.policy === SCHED_IDLE);
    assert.equal(idle.length, 1, 'one worker, the HTTP one, in the idle class');
    assert.equal((await workersWhere(server, (t) => t.policy === SCHED_OTHER && t.niceness === 0)).length, 2, 'the two SMTP workers as the supervisor');
    assert.ok((await threadsOf(idle[0]!)).length > 1, 'the worker’s threads were read, not only its main thread');

    // A worker that crashes is started again, in the idle class too.
    process.kill(idle[0]!, 'SIGKILL');
    await waitUntil(async () => {
      const again = await workersWhere(server, (t) => t.policy === SCHED_IDLE);
      return again.length === 1 && again[0] !== idle[0];
    }, 'a new HTTP worker in the idle class');
  });

  it('without chrt, runs the HTTP worker at niceness 19 and says why', async () => {
    const server = await serve({ PATH: '/nonexistent' });
    assert.equal((await workersWhere(server, (t) => t.policy === SCHED_OTHER && t.niceness === 19)).length, 1);
    assert.equal((await workersWhere(server, (t) => t.policy === SCHED_OTHER && t.niceness === 0)).length, 2);
    const warning = await server.logged('the CPU priority of a worker could not be set as configured');
    assert.equal(warning.level, 40);
    assert.equal(warning.front, 'http');
    assert.match(String((warning.err as { message?: string }).message), /chrt \(util-linux\) is not installed/);
    assert.equal((warning.err as { code?: string }).code, 'PRIORITY_NOT_SET');
  });

  it('gives every thread of the HTTP worker the niceness HTTP_NICENESS says', async () => {
    const server = await serve({ AUTOLIST_HTTP_NICENESS: '7' });
    assert.equal((await workersWhere(server, (t) => t.policy === SCHED_OTHER && t.niceness === 7)).length, 1);
    assert.equal((await workersWhere(server, (t) => t.policy === SCHED_OTHER && t.niceness === 0)).length, 2);
  });
});
