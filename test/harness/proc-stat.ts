/** Linux's /proc/PID/task/TID/stat, read by the tests: what the kernel says of each thread of a process. */
import { readdir, readFile } from 'node:fs/promises';

/**
 * The stat fields of each thread of a process, from field 3 (the state) on: the command name before
 * them is in parentheses and may hold spaces, so the fields start after its last `)`. Field N of
 * proc(5) is at index N - 3.
 */
export async function threadStats(pid: number): Promise<string[][]> {
  const tasks = `/proc/${pid}/task`;
  return Promise.all(
    (await readdir(tasks)).map(async (tid) => {
      const stat = await readFile(`${tasks}/${tid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    }),
  );
}
