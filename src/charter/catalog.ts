import type { FamilyOverrides } from './compile.js';
import { loadFamilies } from './load.js';
import { Resolver, type ResolverOptions } from './resolver.js';

/**
 * The families in service, reloadable atomically: a reload compiles every charter first and swaps
 * only when all compile, so a charter with a mistake leaves the previous families serving.
 */
export class Catalog {
  #resolver: Resolver;
  #loadedAt = new Date();

  constructor(
    private readonly familiesDir: string,
    private readonly options: ResolverOptions & { overrides?: FamilyOverrides } = {},
  ) {
    this.#resolver = this.load();
  }

  get resolver(): Resolver {
    return this.#resolver;
  }

  get loadedAt(): Date {
    return this.#loadedAt;
  }

  /** Recompiles the families folder; throws CharterError (and keeps the old families) if any charter fails. */
  reload(): Resolver {
    this.#resolver = this.load();
    this.#loadedAt = new Date();
    return this.#resolver;
  }

  private load(): Resolver {
    return new Resolver(loadFamilies(this.familiesDir, this.options.overrides ?? {}), this.options);
  }
}
