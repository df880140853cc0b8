import { isIP } from 'node:net';
import type { SmtpConfig } from '../config/config.js';

/**
 * The Postfix transport that reaches autolist's SMTP front, as transport_maps takes it:
 * `smtp:[HOST]:PORT` (brackets: no MX lookup); a wildcard listening address is reached on loopback.
 */
export function smtpTransport(smtp: Pick<SmtpConfig, 'host' | 'port'>): string {
  const host = smtp.host.replace(/^\[(.*)\]$/, '$1');
  const reachable = host === '' || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `smtp:[${isIP(reachable) === 6 ? `ipv6:${reachable}` : reachable}]:${smtp.port}`;
}
