/**
 * The keys of one message's record under REDIS_PREFIX. The delivery key is a hash tag ({...}), so
 * that a Cluster keeps a message's keys on one node and a transaction may take several of them.
 */
export function deliveryKeys(prefix: string, key: string): { reached: string; completed: string; lock: string } {
  const message = `${prefix}delivery:{${key}}`;
  return { reached: `${message}:reached`, completed: `${message}:completed`, lock: `${message}:lock` };
}
