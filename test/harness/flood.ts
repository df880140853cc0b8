/**
 * A flood of bad recipients over several SMTP sessions, and /healthz sampled meanwhile: what the
 * flood test checks (behaviour) and `npm run bench:flood` measures (latency), over loopback.
 */
import { Agent, request } from 'node:http';
import { greeted } from './smtp-client.js';

/**
 * The n-th hostile recipient: none names a list. Very long local parts, control characters, runs of
 * dots and dashes, unknown domains, near misses of real names; some autolist refuses (550), some
 * smtp-server refuses as malformed (501) before autolist sees them.
 */
export function hostileRecipient(n: number): string {
  const kinds = [
    () => `${'a'.repeat(200 + (n % 300))}@lists.example.org`,
    () => `liste.\x01chefs\x7f-${n}@lists.example.org`,
    () => `liste.${'x.'.repeat(100 + (n % 50))}y@lists.example.org`,
    () => `liste.chefs${'-'.repeat(200 + (n % 100))}56@lists.example.org`,
    () => `liste.chefs-56@unknown-${n}.example.net`,
    () => `liste.chefs-${1000 + n}@lists.example.org`,
    () => `liste.${'a-'.repeat(120)}b${n}@lists.example.org`,
    () => `${'.'.repeat(60)}@lists.example.org`,
  ];
  return kinds[n % kinds.length]!();
}

/** What one flooding session got: every reply after the greeting, in order. */
export interface FloodSession {
  replies: string[];
  /** It was closed with 421 4.7.0 (the hard error limit). */
  cut: boolean;
}

/**
 * One session: EHLO, MAIL FROM and `count` hostile recipients pipelined, then QUIT; the replies
 * until the server closes the connection.
 */
export async function floodSession(port: number, sender: string, first: number, count: number): Promise<FloodSession> {
  const client = await greeted(port);
  client.socket.setTimeout(60_000, () => client.socket.destroy());
  const recipients = Array.from({ length: count }, (_, i) => `RCPT TO:<${hostileRecipient(first + i)}>`);
  client.send('EHLO flood.test', `MAIL FROM:<${sender}>`, ...recipients, 'QUIT');
  const replies = await client.rest();
  client.socket.destroy();
  return { replies, cut: replies.at(-1) === '421 4.7.0 too many errors' };
}

/**
 * `total` hostile recipients over `connections` sessions at once, `perSession` each: every
 * connection runs sessions one after the other until its share is sent.
 */
export async function flood(port: number, options: { total: number; connections: number; perSession: number }): Promise<FloodSession[]> {
  const sessions: FloodSession[] = [];
  let sent = 0;
  const worker = async (id: number): Promise<void> => {
    while (sent < options.total) {
      const first = sent;
      const count = Math.min(options.perSession, options.total - sent);
      sent += count;
      sessions.push(await floodSession(port, `flood-${id}-${first}@example.net`, first, count));
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, id) => worker(id)));
  return sessions;
}

/** /healthz answers sampled one after the other until stopped: status and milliseconds of each. */
export class HealthSampler {
  readonly samples: Array<{ status: number; ms: number }> = [];
  private running = true;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly done: Promise<void>;

  constructor(
    private readonly origin: string,
    /** Pause between two samples, in milliseconds. */
    pauseMs = 5,
    /** At most this many samples (a bound whatever happens). */
    maxSamples = 100_000,
  ) {
    this.done = (async () => {
      while (this.running && this.samples.length < maxSamples) {
        this.samples.push(await this.sample());
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    })();
  }

  /** Stops sampling; the samples taken. */
  async stop(): Promise<Array<{ status: number; ms: number }>> {
    this.running = false;
    await this.done;
    this.agent.destroy();
    return this.samples;
  }

  private sample(): Promise<{ status: number; ms: number }> {
    const start = performance.now();
    return new Promise((resolve) => {
      const req = request(`${this.origin}/healthz`, { agent: this.agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ status: 0, ms: performance.now() - start }));
      req.end();
    });
  }
}

/** The q-quantile (0..1) of some numbers. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
