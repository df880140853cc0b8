export { Relay, type RelayOptions } from './relay.js';
export type { Delivery, DeliveryReport, RelayBounce } from './delivery.js';
export { OutboxFullError, OutboxWriteError, RelayDeferredError, RelayRefusedError, RelayUnavailableError } from './errors.js';
