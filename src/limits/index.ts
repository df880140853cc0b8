import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { KeyedRate, type SharedCounts } from './keyed-rate.js';
import { SmtpLimits } from './smtp.js';

export { type ClientEvent, SmtpClientEvents } from './client-events.js';
export { RateLimitedError } from './errors.js';
export { httpRateLimit, rateLimitedText } from './http.js';
export { KeyedRate, type RateVerdict, type SharedCounts } from './keyed-rate.js';
export { type Replies, SmtpLimits, type SmtpRateName } from './smtp.js';

/** One rate as metrics show it: the front, its name, how many events it refused, how many keys it holds. */
export interface RateFigures {
  front: 'smtp' | 'http';
  limit: string;
  refused: number;
  keys: number;
}

/** The abuse limits of the fronts, built once from the configuration and shared by the SMTP and HTTP fronts (and their metrics). */
export class Limits {
  readonly smtp: SmtpLimits;
  /** Requests a minute per token or client address; none when AUTOLIST_HTTP_RATE_LIMIT is 0. */
  readonly http: KeyedRate | undefined;

  /** `shared`: the counts in Redis, every replica's together. */
  constructor(config: Pick<Config, 'smtp' | 'http' | 'rateLimitKeys'>, logger: Logger, shared?: SharedCounts) {
    this.smtp = new SmtpLimits(config.smtp.limits, config.rateLimitKeys, logger, shared);
    this.http = config.http.ratePerMinute > 0 ? new KeyedRate('http_requests', config.http.ratePerMinute, config.rateLimitKeys, shared) : undefined;
  }

  /** Every rate in force, read when Prometheus scrapes. */
  rates(): RateFigures[] {
    const figures: RateFigures[] = [...this.smtp.rates].map(([limit, rate]) => ({ front: 'smtp', limit, refused: rate.refused, keys: rate.held() }));
    if (this.http) figures.push({ front: 'http', limit: 'requests', refused: this.http.refused, keys: this.http.held() });
    return figures;
  }
}
