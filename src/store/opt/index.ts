export { OptStoreError, OptStoreFullError } from './errors.js';
export { FileOptRecord, type Exclusive } from './file-record.js';
export type { OptEntry, OptKind, OptRecord, OptWay, PendingRequest } from './record.js';
export { RedisOptRecord } from './redis-record.js';
