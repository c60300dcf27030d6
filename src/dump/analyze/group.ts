// Grouping: goroutines that are the same code waiting in the same way collapse into one group,
// so that 10,000 identical workers read as one line. What varies per goroutine at run time
// (IDs, argument values, pointers, wait minutes) never splits a group.
import type { Goroutine } from '../model.js';
import { benignReason, type IgnoreRules, NO_IGNORES } from './benign.js';
import { classifyKind, normalizeState, type BlockKind } from './kinds.js';
import { createdByRef, frameKey, locationFrame, toRef, type FrameRef } from './packages.js';

export type GroupBy = 'stack' | 'location';

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

export interface GroupOptions {
  groupBy?: GroupBy;
  modulePath?: string | null;
  ignore?: IgnoreRules;
}

function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

function signatureOf(g: Goroutine, kind: BlockKind, benign: string | null, location: FrameRef | null, groupBy: GroupBy): string {
  // Labels are part of the identity because pprof debug=1 and debug=0 already split by them;
  // text input grouped the same way gives the same groups as the pprof formats.
  const parts = [normalizeState(g.waitReason || g.state), g.leaked ? 'leaked' : '', labelsKey(g.labels), benign ?? ''];
  if (groupBy === 'location') return [...parts, kind, frameKey(location)].join('\u0001');
  return [...parts, g.frames.map(frameKey).join('\u0002'), frameKey(createdByRef(g.createdBy))].join('\u0001');
}

export function groupGoroutines(goroutines: readonly Goroutine[], options: GroupOptions = {}): GoroutineGroup[] {
  const groupBy = options.groupBy ?? 'stack';
  const modulePath = options.modulePath ?? null;
  const ignore = options.ignore ?? NO_IGNORES;
  const bySignature = new Map<string, GoroutineGroup>();
  for (const g of goroutines) {
    const kind = classifyKind(g);
    const benign = benignReason(g, ignore, kind);
    const loc = locationFrame(g.frames, modulePath);
    const location = loc ? toRef(loc) : null;
    const signature = signatureOf(g, kind, benign, location, groupBy);
    let group = bySignature.get(signature);
    if (!group) {
      group = {
        signature,
        count: 0,
        state: normalizeState(g.waitReason || g.state),
        kind,
        waitMinutes: { min: null, max: null },
        frames: g.frames.map(toRef),
        location,
        createdBy: createdByRef(g.createdBy),
        labels: { ...g.labels },
        leaked: g.leaked,
        benign,
        suspect: null,
        ids: [],
        members: [],
      };
      bySignature.set(signature, group);
    }
    group.count += g.count;
    group.members.push(g);
    if (g.id !== null) group.ids.push(g.id);
    if (g.waitMinutes !== null) {
      const w = group.waitMinutes;
      w.min = w.min === null ? g.waitMinutes : Math.min(w.min, g.waitMinutes);
      w.max = w.max === null ? g.waitMinutes : Math.max(w.max, g.waitMinutes);
    }
  }
  const groups = [...bySignature.values()];
  for (const g of groups) {
    g.ids.sort((a, b) => a - b);
    // Tracebacks print ", N minutes" only from one minute on: a member without it waited less.
    if (g.waitMinutes.max !== null && g.members.some((m) => m.waitMinutes === null)) g.waitMinutes.min = 0;
  }
  return groups;
}
