import { Counter } from 'prom-client';

/**
 * What the shared store (Redis) was doing when it failed: a word from this list, never a key, an
 * address or an error's text. A new kind of operation is added here (and to README's metrics table).
 */
export const STORE_OPERATIONS = ['connection', 'delivery_record', 'lock', 'bounces', 'rate_limit', 'publish', 'subscribe', 'opt', 'held'] as const;
export type StoreOperation = (typeof STORE_OPERATIONS)[number];

/**
 * autolist_store_errors_total: one counter for the whole process (every store connection it opens),
 * shown by every registry serviceMetrics makes, so the store code needs nothing passed to it.
 */
export const storeErrors = new Counter({
  name: 'autolist_store_errors_total',
  help: 'Failures of the shared store (Redis), by operation',
  labelNames: ['operation'],
  registers: [],
});
for (const operation of STORE_OPERATIONS) storeErrors.inc({ operation }, 0);

/**
 * Counts one failure of the shared store, where the store code meets it (an error reply, a
 * timeout, the connection lost): `countStoreError('lock')`.
 */
export function countStoreError(operation: StoreOperation): void {
  storeErrors.inc({ operation });
}
