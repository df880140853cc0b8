export { startPolicyServer } from './policy-server.js';
export type { PostfixServerOptions } from './server-options.js';
export { startSocketmapServer, LISTS_MAP, type SocketmapServerOptions } from './socketmap-server.js';
export type { RunningServer, ServerAddress } from './tcp-server.js';
