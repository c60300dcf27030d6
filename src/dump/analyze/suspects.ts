// Leak suspects: which groups look like leaks, how sure we are, and why.
import type { GoroutineGroup, Suspect } from './group.js';
import { SYNC_KINDS } from './kinds.js';

export interface SuspectOptions {
  /** Blocked at least this many minutes on a sync operation in user code: likely leak. Default 10. */
  minWaitMinutes?: number;
  /** A group this large blocked at one user-code sync operation is likely a leak. Default 100. */
  largeGroup?: number;
}

export const DEFAULT_MIN_WAIT_MINUTES = 10;
export const DEFAULT_LARGE_GROUP = 100;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A group's location is its first frame in user code (see user-code.ts), so having one is being in user code. */
function inUserCode(group: GoroutineGroup): boolean {
  return group.location !== null;
}

/** The suspect verdict for one group, or null; benign groups are never suspects. */
export function judgeGroup(group: GoroutineGroup, options: SuspectOptions = {}): Suspect | null {
  if (group.benign) return null;
  const minWait = options.minWaitMinutes ?? DEFAULT_MIN_WAIT_MINUTES;
  const large = options.largeGroup ?? DEFAULT_LARGE_GROUP;
  if (group.kind === 'nil chan') return { level: 'definite', reason: `${group.state}: a nil channel blocks forever` };
  if (group.kind === 'select no cases') return { level: 'definite', reason: 'select {} with no cases blocks forever' };
  if (group.leaked) return { level: 'definite', reason: "marked (leaked) by the runtime's goroutineleak detection: blocked on an object no running goroutine can reach" };
  if (!SYNC_KINDS.has(group.kind) || !inUserCode(group)) return null;
  const where = group.location ? ` at ${group.location.func}` : '';
  const max = group.waitMinutes.max;
  if (max !== null && max >= minWait) {
    return { level: 'likely', reason: `${group.kind} in user code${where}, blocked up to ${plural(max, 'minute')} (threshold ${minWait})` };
  }
  if (group.count >= large) {
    return { level: 'likely', reason: `${plural(group.count, 'goroutine')} blocked on one ${group.kind}${where} (threshold ${large})` };
  }
  return null;
}

const LEVEL_ORDER = { definite: 0, likely: 1 } as const;

/** Suspects first (definite, then likely; bigger and older first), then the rest by size. */
export function rankGroups(groups: GoroutineGroup[]): GoroutineGroup[] {
  return [...groups].sort((a, b) => {
    const la = a.suspect ? LEVEL_ORDER[a.suspect.level] : 2;
    const lb = b.suspect ? LEVEL_ORDER[b.suspect.level] : 2;
    if (la !== lb) return la - lb;
    if (a.count !== b.count) return b.count - a.count;
    const wa = a.waitMinutes.max ?? -1;
    const wb = b.waitMinutes.max ?? -1;
    if (wa !== wb) return wb - wa;
    return a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0;
  });
}
