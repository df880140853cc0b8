export { FRONT_NAMES, type FrontName } from './fronts.js';
export { supervise } from './supervisor.js';
export { runWorker } from './worker.js';
