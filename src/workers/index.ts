export { FRONT_NAMES, type FrontName } from './fronts.js';
export { NO_PEERS, type Invalidation, type PeerEvent, type Peers } from './peers.js';
export { supervise } from './supervisor.js';
export { runWorker } from './worker.js';
