import type { PostfixConfig } from '../config/config.js';

/** Where a Postfix-facing server listens; the connection limits default to the configuration. */
export interface PostfixServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Default: POSTFIX_IDLE_TIMEOUT. */
  idleTimeoutMs?: number;
  /** Default: POSTFIX_MAX_CONNECTIONS. */
  maxConnections?: number;
}

/** The options with the configured limits (POSTFIX_*) filled in. */
export function listenSettings(postfix: PostfixConfig, options: PostfixServerOptions): Required<PostfixServerOptions> {
  return {
    host: options.host,
    port: options.port,
    idleTimeoutMs: options.idleTimeoutMs ?? postfix.idleTimeoutSeconds * 1000,
    maxConnections: options.maxConnections ?? postfix.maxConnections,
  };
}
