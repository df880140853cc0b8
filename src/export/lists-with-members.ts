import { setImmediate as turn } from 'node:timers/promises';
import { enumerate } from '../charter/enumerate.js';
import type { Family } from '../charter/family.js';
import type { ListDefinition } from '../charter/list.js';
import type { Directory } from '../directory/index.js';
import type { Membership } from '../membership/index.js';
import { listOf, repetitionsNarrow } from './candidates.js';
import { conjunctsOf } from './conjuncts.js';
import { directoryValues } from './directory-values.js';
import { ExportTooLargeError, FamilyNotPublicError } from './errors.js';
import { openClasses } from './open-classes.js';

/** A list of an address book: its address, description and member count. */
export interface ExportedList {
  family: string;
  address: string;
  description: string;
  members: number;
}

export interface ExportProgress {
  /** Names read from the charter so far. */
  examined: number;
  /** Lists whose members were asked of the directory. */
  expanded: number;
  withMembers: number;
}

export interface ExportOptions {
  /** Most names read from the charter; past it the export fails (ExportTooLargeError) rather than leave lists out. */
  limit: number;
  /** Expansions asked of the directory at a time (default 4; `exportConcurrency`). */
  concurrency?: number;
  onProgress?: (progress: ExportProgress) => void;
  /** Longest name read, in octets: the resolver's limit, past which it refuses a name (default its default). */
  localPartMax?: number;
}

export interface FamilyExport {
  family: string;
  /** Sorted by address. */
  lists: ExportedList[];
  /** Parts of the charter no name could be listed for (an open token class the directory cannot fill, recursion). */
  leftOut: string[];
}

/** Names read between two turns of the event loop (reading one costs about 20 µs). */
const BATCH = 256;

/**
 * The lists of a public family that have members. The names come from the charter (open token
 * classes filled with the directory's values), round by round of repetition width; names whose
 * filters have the same conjuncts are one list (the first name kept); a list whose conjuncts include
 * those of a list without members is left out unasked; the others are expanded through the
 * membership (its cache and its directory), a few at a time. Rounds stop once one has no list with
 * members, when every repetition narrows (`matching all`).
 */
export async function listsWithMembers(family: Family, directory: Directory, membership: Pick<Membership, 'expand'>, options: ExportOptions): Promise<FamilyExport> {
  if (!family.header.public) throw new FamilyNotPublicError(family.name);
  const values = await directoryValues(directory, family, openClasses(family));
  // Each name is parsed once: the enumeration asks whether it is one, and the list is kept for the loop below.
  let current: ListDefinition | undefined;
  const accept = (name: string): boolean => (current = listOf(family, name)) !== undefined;
  const enumeration = enumerate(family, { values, accept, localPartMax: options.localPartMax });
  const stopEarly = repetitionsNarrow(family);
  const concurrency = options.concurrency ?? 4;
  // By the sorted conjuncts of a list: whether it has members, or the expansion that will tell.
  const known = new Map<string, boolean | Promise<boolean>>();
  const inFlight = new Set<Promise<boolean>>();
  const lists: ExportedList[] = [];
  const progress: ExportProgress = { examined: 0, expanded: 0, withMembers: 0 };

  const hasMembers = async (list: ListDefinition): Promise<boolean> => {
    const set = await membership.expand(list);
    if (set.members.length === 0) return false;
    lists.push({ family: family.name, address: list.address, description: list.description, members: set.members.length });
    progress.withMembers++;
    return true;
  };
  // A list that ANDs everything an empty list does, and more, is empty.
  const narrowsAnEmptyList = async (conjuncts: string[]): Promise<boolean> => {
    for (let i = 0; i < conjuncts.length && conjuncts.length > 1; i++) {
      const wider = known.get(keyOf(conjuncts.filter((_, j) => j !== i)));
      if (wider !== undefined && !(await wider)) return true;
    }
    return false;
  };

  for (const round of enumeration.rounds) {
    const expansions: Array<Promise<boolean>> = [];
    for (const _name of round) {
      if (++progress.examined > options.limit) {
        throw new ExportTooLargeError(`the family ${family.name} has more than ${options.limit} names to examine; raise the limit`, options.limit);
      }
      if (progress.examined % BATCH === 0) {
        options.onProgress?.(progress);
        await turn();
      }
      const list = current as ListDefinition;
      const conjuncts = conjunctsOf(list.filter);
      const key = keyOf(conjuncts);
      if (known.has(key)) continue;
      if (await narrowsAnEmptyList(conjuncts)) {
        known.set(key, false);
        continue;
      }
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      progress.expanded++;
      const expansion = hasMembers(list);
      known.set(key, expansion);
      expansions.push(expansion);
      inFlight.add(expansion);
      // Settled either way: the round's Promise.all below reports a failure.
      const done = (): void => void inFlight.delete(expansion);
      expansion.then(done, done);
    }
    const found = await Promise.all(expansions);
    options.onProgress?.(progress);
    if (stopEarly && !found.some(Boolean)) break;
  }
  lists.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { family: family.name, lists, leftOut: enumeration.open.filter((o) => o !== 'repetitions') };
}

const keyOf = (conjuncts: readonly string[]): string => conjuncts.join('\n');
