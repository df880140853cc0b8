export { Relay, type RelayOptions } from './relay.js';
export type { Delivery, DeliveryReport, RelayBounce } from './delivery.js';
export { OutboxWriteError, RelayDeferredError, RelayRefusedError, RelayStateError, RelayUnavailableError } from './errors.js';
