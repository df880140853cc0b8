import { newHeldId } from './id.js';
import type { Logger } from '../../log.js';
import { countStoreError } from '../../metrics/store-errors.js';
import type { RedisConnection } from '../redis-connection.js';
import { RedisLocks } from '../redis/lock.js';
import { HeldNotFoundError, HeldStoreError } from './errors.js';
import type { DecideOutcome, HeldDecision, HeldMessage, HeldState, HeldStore, NewHeldMessage } from './types.js';

/** Sets the decision only while the message is still held: -1 no such message, 0 decided before, 1 this decision won. */
const DECIDE = `if redis.call('exists', KEYS[1]) == 0 then return -1 end
if redis.call('hget', KEYS[1], 'state') ~= 'held' then return 0 end
redis.call('hset', KEYS[1], 'state', ARGV[1], 'decision', ARGV[2])
return 1`;

/**
 * Held messages in Redis, shared by every replica: a hash a message (its raw bytes, envelope,
 * times, state, decision) and a sorted set of the ids by the time they were held. Every key shares
 * the hash tag {held}, so that a Cluster keeps them on one node and transactions and scripts span them.
 * A decision is a script that sets it only while the message is held: the first one wins.
 */
export class RedisHeldStore implements HeldStore {
  private readonly locks: RedisLocks;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.locks = new RedisLocks(redis, logger);
  }

  private message(id: string): string {
    return `${this.prefix}{held}:message:${id}`;
  }

  private get index(): string {
    return `${this.prefix}{held}:index`;
  }

  async hold(message: NewHeldMessage): Promise<HeldMessage> {
    const id = newHeldId();
    const fields = {
      list: message.list,
      sender: message.sender,
      raw: message.raw,
      heldAt: message.heldAt.toISOString(),
      expiresAt: message.expiresAt.toISOString(),
      moderators: JSON.stringify(message.moderators),
      state: 'held',
    };
    await this.run('cannot hold a message', () => this.redis.multi().hset(this.message(id), fields).zadd(this.index, message.heldAt.getTime(), id).exec());
    return { ...message, id, state: 'held', settled: false };
  }

  async get(id: string): Promise<HeldMessage | undefined> {
    const fields = await this.run('cannot read a held message', () => this.redis.hgetallBuffer(this.message(id)));
    return Object.keys(fields).length === 0 ? undefined : fromFields(id, fields);
  }

  async waiting(list?: string): Promise<HeldMessage[]> {
    const all = await this.all();
    return all.filter((m) => m.state === 'held' && (list === undefined || m.list === list));
  }

  async decide(id: string, decision: HeldDecision): Promise<DecideOutcome> {
    const text = JSON.stringify({ ...decision, at: decision.at.toISOString() });
    const result = await this.run('cannot decide on a held message', () => this.redis.eval(DECIDE, 1, this.message(id), decision.state, text));
    if (result === -1) throw new HeldNotFoundError(`no held message ${id}`);
    const message = await this.get(id);
    if (message === undefined) throw new HeldNotFoundError(`no held message ${id}`);
    return { won: result === 1, message };
  }

  async settle(id: string): Promise<void> {
    await this.run('cannot settle a held message', () => this.redis.hset(this.message(id), 'settled', '1'));
  }

  async due(now: Date): Promise<string[]> {
    const all = await this.all();
    return all.filter((m) => (m.state === 'held' ? m.expiresAt <= now : !m.settled || m.expiresAt <= now)).map((m) => m.id);
  }

  async remove(id: string): Promise<void> {
    await this.run('cannot remove a held message', () => this.redis.multi().del(this.message(id)).zrem(this.index, id).exec());
  }

  async exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    const lease = await this.locks.acquire(`${this.prefix}{held}:lock:${name}`, (orphan) => void orphan.release().catch(() => undefined));
    try {
      return await work();
    } finally {
      await lease.release().catch((error: unknown) => this.logger.warn({ err: error, lock: name }, 'cannot release the held messages lock: it lapses on its own'));
    }
  }

  private async all(): Promise<HeldMessage[]> {
    const ids = await this.run('cannot list held messages', () => this.redis.zrange(this.index, 0, -1));
    const messages = await Promise.all(ids.map((id) => this.get(id)));
    return messages.filter((m): m is HeldMessage => m !== undefined);
  }

  private async run<T>(what: string, command: () => Promise<T>): Promise<T> {
    try {
      const result = await command();
      // A transaction answers [error, reply] pairs: an error inside it fails the whole.
      if (Array.isArray(result)) for (const entry of result) if (Array.isArray(entry) && entry[0] instanceof Error) throw entry[0];
      return result;
    } catch (error) {
      if (error instanceof HeldNotFoundError) throw error;
      countStoreError('held');
      throw new HeldStoreError(`${what}: ${(error as Error).message}`, { cause: error });
    }
  }
}

function fromFields(id: string, fields: Record<string, Buffer>): HeldMessage {
  const text = (name: string): string => fields[name]?.toString('utf8') ?? '';
  const message: HeldMessage = {
    id,
    list: text('list'),
    sender: text('sender'),
    raw: fields.raw ?? Buffer.alloc(0),
    heldAt: new Date(text('heldAt')),
    expiresAt: new Date(text('expiresAt')),
    moderators: JSON.parse(text('moderators') || '[]') as string[],
    state: text('state') as HeldState,
    settled: text('settled') === '1',
  };
  const decision = text('decision');
  if (decision !== '') {
    const parsed = JSON.parse(decision) as Omit<HeldDecision, 'at'> & { at: string };
    message.decision = { ...parsed, at: new Date(parsed.at) };
  }
  return message;
}
