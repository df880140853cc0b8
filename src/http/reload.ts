import type { Services } from '../services.js';

/**
 * Recompiles the families folder and puts the result in service at once; a charter that does not
 * compile throws CharterError and leaves the families in service as they were. Cached decisions go
 * (rules may have changed); cached members stay, keyed by the list's filter, so a list whose meaning
 * changed is expanded afresh and the others are not.
 */
export function reloadFamilies(services: Pick<Services, 'catalog' | 'rights' | 'logger'>): { families: string[]; loadedAt: Date } {
  const resolver = services.catalog.reload();
  services.rights.invalidate();
  const families = resolver.families.map((f) => f.name);
  services.logger.info({ families }, 'families reloaded');
  return { families, loadedAt: services.catalog.loadedAt };
}
