import { open } from 'node:fs/promises';

/**
 * Makes a file just created in `dir` survive a crash: a file's own sync does not write the folder's
 * entry naming it (fsync(2)), so the folder is synced too.
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
