import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The key links and tokens are signed with: LINK_SECRET when set (replicas must share one, and
 * configuration requires it with Redis); otherwise one made on first use and kept in the state
 * folder, so that the links already sent outlive a restart.
 */
export function linkSecret(configured: string | undefined, stateDir: string): string {
  if (configured !== undefined) return configured;
  const file = join(stateDir, 'link-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(stateDir, { recursive: true });
  // Written aside, then linked into place (which fails if the file exists): of two processes
  // starting together, the second reads the first one's whole key, never a half-written file.
  const aside = `${file}.${process.pid}`;
  writeFileSync(aside, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  try {
    linkSync(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(aside, { force: true });
  }
  return readFileSync(file, 'utf8').trim();
}
