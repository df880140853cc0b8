import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';

/**
 * Checks, before anything is sent, that `dir` can take `bytes` more in `files` files: writable (not
 * read-only, not refused: access(2)) and that much free for an unprivileged user (statfs(2) f_bavail,
 * as Postfix reads free space), a block more a file for its last one, partly used. Throws the file
 * system's error, or an ENOSPC error of its own. A check, not a reservation: a write that fails later
 * is handled where it fails.
 */
export async function checkRoom(dir: string, bytes: number, files = 1): Promise<void> {
  // Both asked at once (one wait, not two); access's refusal is the one thrown when both fail.
  const space = statfs(dir);
  space.catch(() => undefined);
  await access(dir, constants.W_OK);
  const { bavail, bsize } = await space;
  const needed = bytes + files * bsize;
  if (bavail * bsize < needed) throw Object.assign(new Error(`${bavail * bsize} bytes free in ${dir}, ${needed} needed`), { code: 'ENOSPC' });
}
