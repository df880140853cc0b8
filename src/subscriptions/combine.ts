import { includesSorted, memberKey } from '../membership/index.js';

/**
 * The directory's members (sorted by memberKey) without the excluded addresses, with the added ones
 * in their place: sorted the same way, each address once, so that pages and cursors work as before.
 */
export function combineMembers(base: readonly string[], excluded: ReadonlySet<string>, added: readonly string[]): readonly string[] {
  const extra = [...new Set(added.map(memberKey))].filter((a) => !excluded.has(a) && !includesSorted(base, a)).sort();
  const members: string[] = [];
  let next = 0;
  for (const member of base) {
    const key = memberKey(member);
    while (next < extra.length && (extra[next] as string) < key) members.push(extra[next++] as string);
    if (!excluded.has(key)) members.push(member);
  }
  while (next < extra.length) members.push(extra[next++] as string);
  return Object.freeze(members);
}
