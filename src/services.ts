import type { Catalog } from './charter/catalog.js';
import type { Config } from './config/config.js';
import type { Directory } from './directory/directory.js';
import type { Logger } from './log.js';
import type { Membership } from './membership/index.js';
import type { Rights } from './rights/index.js';

/** Everything a front (HTTP, SMTP, CLI) works with, built once from the configuration. */
export interface Services {
  config: Config;
  logger: Logger;
  /** The families in service; `catalog.resolver` resolves addresses; `catalog.reload()` recompiles them. */
  catalog: Catalog;
  directory: Directory;
  membership: Membership;
  rights: Rights;
  close(): Promise<void>;
}
