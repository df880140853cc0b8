import type { ChainableCommander } from 'ioredis';
import type { Logger } from '../../log.js';
import { countStoreError } from '../../metrics/store-errors.js';
import type { RedisConnection } from '../redis-connection.js';
import { whenReady } from '../redis-ready.js';
import { BouncesStoreError } from './errors.js';
import type { BounceRecord, NewBounce } from './record.js';
import { BounceTally, MAX_ADDRESSES, parseBounce, type BounceEvent, type BounceQuery, type BouncedAddress } from './tally.js';

/** How often a process reads the bounces the others added (and tries again to load, after a start without Redis). */
const POLL_MS = 1000;
/** Entries read a command. */
const PAGE = 1000;
/**
 * A bound on the stream whatever happens (approximate, so that Redis trims whole nodes): compaction
 * keeps it far shorter. Entries trimmed so were never folded into the snapshot: past this, old bounces are lost.
 */
const MAX_ENTRIES = 1_000_000;
/** Entries older than this stay in the stream after a compaction, for the processes still reading up to it. */
const TRIM_MARGIN_MS = 60_000;
/** How long one process holds the right to compact: the others leave it alone meanwhile. */
const COMPACT_LOCK_MS = 60_000;
/** Bounces counted in memory alone (Redis down before the first load), kept to be counted again in what is loaded. */
const MAX_UNSTORED = 10_000;

/**
 * Writes the snapshot (every bounce up to stream id ARGV[1], as JSON lines in ARGV[2]) unless a newer
 * one is there, and trims the stream below ARGV[3]: two processes compacting at once cannot lose an entry.
 */
const COMPACT_SCRIPT = `
local function newer(a, b)
  local am, as = string.match(a, '(%d+)-(%d+)')
  local bm, bs = string.match(b, '(%d+)-(%d+)')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am > bm or (am == bm and as > bs)
end
local current = redis.call('HGET', KEYS[1], 'id')
if current and not newer(ARGV[1], current) then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'bounces', ARGV[2], 'trimmed', ARGV[3])
redis.call('XTRIM', KEYS[2], 'MINID', ARGV[3])
return 1
`;

/** The record's keys, in one hash slot (a Redis Cluster runs the compaction's script on both). */
function keysOf(prefix: string): { stream: string; snapshot: string; lock: string } {
  return { stream: `${prefix}{bounces}:stream`, snapshot: `${prefix}{bounces}:snapshot`, lock: `${prefix}{bounces}:compacting` };
}

/** -1, 0 or 1 as stream id `a` comes before, is, or comes after `b` (ids are MILLISECONDS-SEQUENCE). */
function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return Math.sign(am - bm || as - bs);
}

type Entry = [id: string, fields: string[]];

/** What a process loads: the snapshot's bounces and the stream's after it. */
interface Loaded {
  tally: BounceTally;
  /** The last stream id counted. */
  lastId: string;
  /** The snapshot's id. */
  snapshotId: string | null;
  /** Entries counted after the snapshot. */
  sinceSnapshot: number;
}

/**
 * Every bounce recorded in Redis: the last snapshot (one JSON line an address, as the bounces file
 * is compacted), then the stream's entries after it. Loaded again when a compaction ran meanwhile
 * (the entries it trimmed may have been read too late).
 */
export async function loadBounces(redis: RedisConnection, prefix: string): Promise<Loaded> {
  const keys = keysOf(prefix);
  for (;;) {
    const [snapshotId, text] = await redis.hmget(keys.snapshot, 'id', 'bounces');
    const tally = new BounceTally(MAX_ADDRESSES);
    for (const line of (text ?? '').split('\n')) {
      const bounce = line === '' ? undefined : parseBounce(line);
      if (bounce !== undefined) tally.add(bounce);
    }
    let lastId = snapshotId ?? '0-0';
    let sinceSnapshot = 0;
    for (;;) {
      const page = (await redis.xrange(keys.stream, `(${lastId}`, '+', 'COUNT', PAGE)) as Entry[];
      for (const [id, fields] of page) {
        countEntry(tally, fields);
        lastId = id;
        sinceSnapshot++;
      }
      if (page.length < PAGE) break;
    }
    if ((await redis.hget(keys.snapshot, 'id')) === snapshotId) return { tally, lastId, snapshotId, sinceSnapshot };
  }
}

/** The replies of a transaction; throws the first error among them. */
async function executed(multi: ChainableCommander): Promise<unknown[]> {
  const results = await multi.exec();
  if (results === null) throw new Error('the Redis transaction was discarded');
  return results.map(([error, result]) => {
    if (error) throw error;
    return result;
  });
}

function countEntry(tally: BounceTally, fields: string[]): void {
  const bounce = fields[0] === 'b' && fields[1] !== undefined ? parseBounce(fields[1]) : undefined;
  if (bounce !== undefined) tally.add(bounce);
}

export interface RedisBounceOptions {
  /** Put before the keys (REDIS_PREFIX). */
  prefix: string;
  /** How long the first load waits for the connection at start (REDIS_TIMEOUT_MS). */
  timeoutMs: number;
  /** Hears of each bounce counted in memory alone (Redis could not take it), so that the other workers count it too. */
  onUnstored?: (bounce: BounceEvent) => void;
}

/**
 * The bounces in a Redis stream (XADD, one entry a bounce) shared by every process of every replica.
 * Each process counts them in memory, loaded at start and fed by reading the stream from where it
 * stopped (every second, and at once after its own writes), so that reads never wait on Redis and
 * go on while it is down. The stream is compacted (a snapshot of the counts, the entries before it
 * trimmed) when it holds far more entries than addresses, as the bounces file is.
 */
export class RedisBounceRecord implements BounceRecord {
  private readonly keys: ReturnType<typeof keysOf>;
  private tally = new BounceTally(MAX_ADDRESSES);
  private lastId = '0-0';
  private snapshotId: string | null = null;
  private sinceSnapshot = 0;
  /** Loaded from Redis: until then (Redis down at start) counts are this process's alone. */
  private loaded = false;
  /** Counted in memory alone before the first load, to be counted again in what is loaded. */
  private readonly unstored: BounceEvent[] = [];
  /** The last write to Redis failed: logged once, until a write succeeds again. */
  private failing = false;
  private readonly pending = new Set<Promise<void>>();
  private reading: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly redis: RedisConnection,
    private readonly logger: Logger,
    private readonly options: RedisBounceOptions,
  ) {
    this.keys = keysOf(options.prefix);
    this.timer = setInterval(() => {
      if (this.reading === undefined) void this.read().catch(() => undefined);
    }, POLL_MS).unref();
  }

  /** Loads the bounces, waiting for the connection up to `timeoutMs`; without Redis, starts empty and loads once it is back. */
  static async open(redis: RedisConnection, logger: Logger, options: RedisBounceOptions): Promise<RedisBounceRecord> {
    const record = new RedisBounceRecord(redis, logger, options);
    if (await whenReady(redis, options.timeoutMs)) await record.read().catch(() => undefined);
    if (!record.loaded) logger.warn('the bounces could not be loaded from Redis: counted from now on, loaded once Redis answers');
    return record;
  }

  record(event: NewBounce): void {
    const bounce: BounceEvent = { at: new Date().toISOString(), ...event };
    this.track(
      this.append([bounce]).then(
        () => this.read().catch(() => undefined),
        (error: unknown) => {
          this.countUnstored(bounce);
          if (this.failing) return;
          this.failing = true;
          this.logger.error({ err: error }, 'bounces cannot be written to Redis; they are counted in memory meanwhile');
        },
      ),
    );
  }

  async recordReported(events: readonly NewBounce[]): Promise<void> {
    const at = new Date().toISOString();
    const bounces: BounceEvent[] = events.map((event) => ({ at, ...event }));
    try {
      await this.append(bounces);
    } catch (error) {
      this.failing = true;
      throw new BouncesStoreError(`the bounces cannot be written to Redis: ${(error as Error).message}`, { cause: error });
    }
    // Counted here before the answer; should the read fail, the next one counts them.
    await this.read().catch(() => undefined);
  }

  count(bounce: BounceEvent): void {
    this.tally.add(bounce);
    if (!this.loaded && this.unstored.length < MAX_UNSTORED) this.unstored.push(bounce);
  }

  query(query: BounceQuery): { total: number; addresses: BouncedAddress[] } {
    return this.tally.query(query);
  }

  /** Stops reading; the writes under way end first. The connection is the caller's. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([...this.pending, this.reading, this.queued]);
  }

  /** Adds the bounces to the stream, all or none. */
  private async append(bounces: readonly BounceEvent[]): Promise<void> {
    const multi = this.redis.multi();
    for (const bounce of bounces) multi.xadd(this.keys.stream, 'MAXLEN', '~', MAX_ENTRIES, '*', 'b', JSON.stringify(bounce));
    try {
      await executed(multi);
    } catch (error) {
      countStoreError('bounces');
      throw error;
    }
    if (this.failing) {
      this.failing = false;
      this.logger.info('bounces written to Redis again');
    }
  }

  /** A bounce Redis did not take: counted here and told to the other workers of this process's serve. */
  private countUnstored(bounce: BounceEvent): void {
    this.count(bounce);
    this.options.onUnstored?.(bounce);
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /**
   * Counts what was added since the last read, loading first if need be. One read at a time, and at
   * most one more waiting (which every later caller shares): a slow Redis does not pile reads up.
   */
  private read(): Promise<void> {
    if (this.queued !== undefined) return this.queued;
    const start = (): Promise<void> => {
      const run = this.readOnce().finally(() => {
        this.reading = undefined;
      });
      this.reading = run;
      return run;
    };
    if (this.reading === undefined) return start();
    const queued = this.reading
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return start();
      });
    this.queued = queued;
    return queued;
  }

  private async readOnce(): Promise<void> {
    if (!this.loaded) return this.load();
    const [snapshot, page] = (await executed(this.redis.multi().hmget(this.keys.snapshot, 'id', 'trimmed').xrange(this.keys.stream, `(${this.lastId}`, '+', 'COUNT', PAGE))) as [
      [string | null, string | null],
      Entry[],
    ];
    const [snapshotId = null, trimmed = null] = snapshot;
    // Another process compacted past what this one read: what it trimmed is only in its snapshot.
    if (trimmed !== null && compareIds(trimmed, this.lastId) > 0) return this.load();
    if (snapshotId !== this.snapshotId) {
      this.snapshotId = snapshotId;
      this.sinceSnapshot = 0;
    }
    for (const [id, fields] of page) {
      countEntry(this.tally, fields);
      this.lastId = id;
      this.sinceSnapshot++;
    }
    if (page.length === PAGE) return this.readOnce();
    if (this.sinceSnapshot > 2 * this.tally.size + 1000) await this.compact();
  }

  private async load(): Promise<void> {
    const loaded = await loadBounces(this.redis, this.options.prefix);
    for (const bounce of this.unstored.splice(0)) loaded.tally.add(bounce);
    ({ tally: this.tally, lastId: this.lastId, snapshotId: this.snapshotId, sinceSnapshot: this.sinceSnapshot } = loaded);
    if (!this.loaded) {
      this.loaded = true;
      this.logger.debug({ addresses: this.tally.size }, 'bounces loaded from Redis');
    }
  }

  /**
   * Writes every count as a snapshot and trims the stream before it (keeping its last minute, for the
   * processes still reading it): one process at a time, the others see the new snapshot.
   */
  private async compact(): Promise<void> {
    this.sinceSnapshot = 0;
    if ((await this.redis.set(this.keys.lock, '1', 'PX', COMPACT_LOCK_MS, 'NX')) === null) return;
    try {
      const text = [...this.tally.compacted()].map((bounce) => JSON.stringify(bounce)).join('\n');
      const [ms = 0] = this.lastId.split('-').map(Number);
      const margin = `${Math.max(0, ms - TRIM_MARGIN_MS)}-0`;
      const trimmed = compareIds(margin, this.lastId) < 0 ? margin : this.lastId;
      if ((await this.redis.eval(COMPACT_SCRIPT, 2, this.keys.snapshot, this.keys.stream, this.lastId, text, trimmed)) === 1) {
        this.snapshotId = this.lastId;
        this.logger.info({ addresses: this.tally.size }, 'bounces compacted in Redis');
      }
    } catch (error) {
      countStoreError('bounces');
      this.logger.warn({ err: error }, 'the bounces could not be compacted in Redis');
    } finally {
      await this.redis.del(this.keys.lock).catch(() => undefined);
    }
  }
}
