// Grouping: goroutines that are the same code waiting in the same way collapse into one group,
// so that 10,000 identical workers read as one line. What varies per goroutine at run time
// (IDs, argument values, pointers, wait minutes) never splits a group.
import type { Goroutine } from '../model.js';
import { GroupIdentities, type GroupBy, type GroupIdentity, type GroupOptions } from './identity.js';
import type { BlockKind } from './kinds.js';
import { createdByRef, toRef, type FrameRef } from './packages.js';

export type { GroupBy, GroupOptions } from './identity.js';

export type SuspectLevel = 'definite' | 'likely';

export interface Suspect {
  level: SuspectLevel;
  reason: string;
}

export interface GoroutineGroup {
  /** Stable identity of the group across dumps (used by diff). */
  signature: string;
  /** Goroutines in the group (sum of the members' counts). */
  count: number;
  /** The header state without decorations ("chan receive", not "chan receive, 3 minutes"); "" when the input has none. */
  state: string;
  kind: BlockKind;
  waitMinutes: { min: number | null; max: number | null };
  frames: FrameRef[];
  location: FrameRef | null;
  createdBy: FrameRef | null;
  labels: Record<string, string>;
  /** Marked "(leaked)" by the runtime's goroutineleak detection. */
  leaked: boolean;
  /** Why the group is expected to be alive (runtime, server loop, ignore rule), or null. */
  benign: string | null;
  suspect: Suspect | null;
  /** Goroutine IDs of the members that have one, ascending. */
  ids: number[];
  members: Goroutine[];
}

/** A new group described by its first member. */
function openGroup(first: Goroutine, identity: GroupIdentity): GoroutineGroup {
  return {
    signature: identity.signature,
    count: 0,
    state: identity.state,
    kind: identity.kind,
    waitMinutes: { min: null, max: null },
    frames: first.frames.map(toRef),
    location: identity.location,
    createdBy: createdByRef(first.createdBy),
    labels: { ...first.labels },
    leaked: first.leaked,
    benign: identity.benign,
    suspect: null,
    ids: [],
    members: [],
  };
}

/** A group being filled: its count, IDs and members so far, and the range of their wait minutes. */
export class GroupFilling {
  readonly group: GoroutineGroup;
  /** Whether a member printed no wait minutes. */
  private someWithoutWait = false;

  constructor(first: Goroutine, identity: GroupIdentity) {
    this.group = openGroup(first, identity);
  }

  addWait(wait: number | null): void {
    if (wait === null) {
      this.someWithoutWait = true;
      return;
    }
    const w = this.group.waitMinutes;
    w.min = w.min === null ? wait : Math.min(w.min, wait);
    w.max = w.max === null ? wait : Math.max(w.max, wait);
  }

  /** Adds the members, count, IDs and waits of another filling of the same group. */
  merge(other: GroupFilling): void {
    const g = this.group;
    const o = other.group;
    g.count += o.count;
    for (const m of o.members) g.members.push(m);
    for (const id of o.ids) g.ids.push(id);
    if (o.waitMinutes.min !== null) this.addWait(o.waitMinutes.min);
    if (o.waitMinutes.max !== null) this.addWait(o.waitMinutes.max);
    if (other.someWithoutWait) this.someWithoutWait = true;
  }

  /** The group once every member is in. */
  finish(): GoroutineGroup {
    const g = this.group;
    sortAscending(g.ids);
    // Tracebacks print ", N minutes" only from one minute on: a member without it waited less.
    if (g.waitMinutes.max !== null && this.someWithoutWait) g.waitMinutes.min = 0;
    return g;
  }
}

export function groupGoroutines(goroutines: readonly Goroutine[], options: GroupOptions = {}): GoroutineGroup[] {
  const identities = new GroupIdentities(options);
  const bySignature = new Map<string, GroupFilling>();
  for (const g of goroutines) {
    const identity = identities.of(g);
    let filling = bySignature.get(identity.signature);
    if (filling === undefined) {
      filling = new GroupFilling(g, identity);
      bySignature.set(identity.signature, filling);
    }
    const group = filling.group;
    group.count += g.count;
    group.members.push(g);
    if (g.id !== null) group.ids.push(g.id);
    filling.addWait(g.waitMinutes);
  }
  return [...bySignature.values()].map((f) => f.finish());
}

/**
 * Sorts IDs in place; they usually arrive nearly in order, so check before sorting. A typed
 * array sorts numerically without calling a comparator, several times faster for big groups;
 * 32-bit when every ID fits (goroutine IDs nearly always do), which is faster still.
 */
function sortAscending(ids: number[]): void {
  let sorted = true;
  let small = true;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (i > 0 && ids[i - 1]! > id) sorted = false;
    if (id > 0x7fffffff || id < 0) small = false;
  }
  if (sorted) return;
  const copy = small ? new Int32Array(ids) : new Float64Array(ids);
  copy.sort();
  for (let j = 0; j < ids.length; j++) ids[j] = copy[j]!;
}
