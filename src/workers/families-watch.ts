import { type FSWatcher, watch } from 'node:fs';
import type { Logger } from '../log.js';

/** A save is often several writes (a temporary file, a rename, a lexicon beside its charter): one reload once they settle. */
const SETTLE_MS = 300;
/** What editors write beside a file and are no part of a family: dot files (.swp, .#lock), backups (~), vim's probe (4913), temporaries. */
const NOT_FAMILY_FILE = /(^|\/)\.|~$|(^|\/)\d+$|\.(tmp|swp|swx|bak)$/i;

/**
 * AUTOLIST_WATCH_FAMILIES: reloads the families when a file of their folder changes, for those who
 * edit charters in place. A reload compiles every charter before swapping, so a half-written one is
 * reported and the families in service stay until the next save.
 */
export function watchFamilies(dir: string, reload: () => void, logger: Logger): FSWatcher {
  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    const file = name === null ? '' : String(name);
    if (NOT_FAMILY_FILE.test(file)) return;
    changed.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      logger.info({ dir, files: [...changed] }, 'the families folder changed: reloading');
      changed.clear();
      reload();
    }, SETTLE_MS);
  });
  watcher.on('error', (error) => logger.warn({ err: error, dir }, 'the families folder is no longer watched'));
  watcher.on('close', () => clearTimeout(timer));
  return watcher;
}
