import type { RedisConnection } from '../redis-connection.js';
import { unavailable } from '../redis/unavailable.js';
import { MAX_PENDING_PER_LIST, type OptEntry, type OptRecord, type PendingRequest, pendingKey } from './record.js';

/** Takes the pending request ARGV[1] when its nonce is ARGV[2] and it has not expired by ARGV[3] (ms): one confirmation a request, whoever asks at once. */
const CONSUME_SCRIPT = `
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return 0 end
local request = cjson.decode(value)
if request.nonce ~= ARGV[2] or tonumber(request.expiresAt) <= tonumber(ARGV[3]) then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
`;

/**
 * The exclusions and additions in Redis, shared by every replica: per list, a hash of the choices by
 * address and a hash of the requests waiting for confirmation (`{LIST}` keeps both on one Cluster node).
 */
export class RedisOptRecord implements OptRecord {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  async entries(list: string): Promise<OptEntry[]> {
    const fields = await this.run(`the exclusions and additions of ${list} cannot be read`, () => this.redis.hgetall(this.keys(list).entries));
    return Object.values(fields).map((text) => JSON.parse(text) as OptEntry);
  }

  async put(entry: OptEntry): Promise<void> {
    await this.run(`the choice of ${entry.address} cannot be recorded`, () => this.redis.hset(this.keys(entry.list).entries, entry.address, JSON.stringify(entry)));
  }

  async remove(list: string, address: string): Promise<OptEntry | undefined> {
    const key = this.keys(list).entries;
    const [[, text], [, removed]] = (await this.run(`the choice of ${address} cannot be removed`, () => this.redis.multi().hget(key, address).hdel(key, address).exec())) as [
      [Error | null, string | null],
      [Error | null, number],
    ];
    return removed === 1 && text ? (JSON.parse(text) as OptEntry) : undefined;
  }

  async propose(request: PendingRequest): Promise<void> {
    const key = this.keys(request.list).pending;
    const count = await this.run('a request cannot be recorded', () => this.redis.hset(key, pendingKey(request.address, request.action), JSON.stringify(request)).then(() => this.redis.hlen(key)));
    if (count > MAX_PENDING_PER_LIST) await this.trim(key);
  }

  async consume(list: string, address: string, action: PendingRequest['action'], nonce: string): Promise<boolean> {
    const taken = await this.run('a confirmation cannot be recorded', () => this.redis.eval(CONSUME_SCRIPT, 1, this.keys(list).pending, pendingKey(address, action), nonce, String(Date.now())));
    return taken === 1;
  }

  /** Drops the expired requests, then those closest to expiring past the cap. */
  private async trim(key: string): Promise<void> {
    const all = Object.entries(await this.run('requests cannot be read', () => this.redis.hgetall(key))).map(([field, text]) => [field, JSON.parse(text) as PendingRequest] as const);
    const now = Date.now();
    const live = all.filter(([, r]) => r.expiresAt > now).sort(([, a], [, b]) => a.expiresAt - b.expiresAt);
    const dropped = [...all.filter(([, r]) => r.expiresAt <= now), ...live.slice(0, Math.max(0, live.length - MAX_PENDING_PER_LIST))].map(([field]) => field);
    if (dropped.length > 0) await this.run('requests cannot be dropped', () => this.redis.hdel(key, ...dropped));
  }

  private keys(list: string): { entries: string; pending: string } {
    return { entries: `${this.prefix}opt:{${list}}:entries`, pending: `${this.prefix}opt:{${list}}:pending` };
  }

  private async run<T>(what: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw unavailable(error, what, 'opt');
    }
  }
}
