/** The `autolist` command as the tests run it: a child process, from the project's folder. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/config/config.js';

export const CLI = join(PROJECT_ROOT, 'src', 'cli', 'main.ts');
const run = promisify(execFile);

/** Runs `autolist ARGS` with the demo directory and in English (LANG=C) unless the environment says otherwise; `timeoutMs` for a long job (an export). */
export async function autolist(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = { ...process.env };
  for (const name of [
    'AUTOLIST_LDAP_URL',
    'AUTOLIST_LDAP_BIND_DN',
    'AUTOLIST_LDAP_BIND_PASSWORD',
    'AUTOLIST_LDAP_CA_FILE',
    'AUTOLIST_LDAP_STARTTLS',
    'AUTOLIST_DIRECTORY_LDIF',
    'AUTOLIST_FAMILIES_DIR',
    'LC_ALL',
    'LC_MESSAGES',
  ])
    delete clean[name];
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...clean, AUTOLIST_LOG_LEVEL: 'warn', LANG: 'C', ...env },
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
