import type { Services } from '../services.js';

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

/** The options with the configured limits filled in. */
export function listenSettings(services: Services, options: PostfixServerOptions): Required<PostfixServerOptions> {
  const { postfix } = services.config;
  return {
    host: options.host,
    port: options.port,
    idleTimeoutMs: options.idleTimeoutMs ?? postfix.idleTimeoutSeconds * 1000,
    maxConnections: options.maxConnections ?? postfix.maxConnections,
  };
}
