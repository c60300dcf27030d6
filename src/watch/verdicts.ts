// The four verdicts of a watch, each turning what a target shows now into the conditions that
// hold (alerts.ts turns those into alert changes). Known-benign groups never make a condition.
import { judgeGroup, type GoroutineGroup } from '../dump/analyze/index.js';
import type { Condition } from './alerts.js';
import type { Alert } from './alerts.js';
import { formatDuration } from './duration.js';
import { growthOf, judgeable, quarterFloors, quarters, type GrowthOptions } from './trend.js';
import type { SeriesWindow } from './window.js';

export interface VerdictOptions extends GrowthOptions {
  maxGoroutines: number | null;
  maxGroup: number | null;
  staleMinutes: number;
  staleFloor: number;
}

/**
 * Whether a group can be judged at all: not known-benign, and with a frame to point at (profiles
 * list goroutines whose stack holds only hidden runtime frames, or none, with no frame at all).
 */
export function judged(group: { benign: string | null; frames: readonly unknown[] }): boolean {
  return group.benign === null && group.frames.length > 0;
}

/** A threshold alert resolves once the count is below this share of the limit (no flapping at the limit). */
export const THRESHOLD_RESOLVE_SHARE = 0.9;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const rate = (perHour: number) => `${perHour >= 10 ? Math.round(perHour).toLocaleString('en-US') : perHour.toFixed(1)}/h`;

/** Growth conditions of every group: new growth, and firing growth alerts whose rise still holds. */
export function growthConditions(
  window: SeriesWindow,
  firing: ReadonlyMap<string | null, Alert>,
  isJudged: (gid: string) => boolean,
  o: GrowthOptions,
): Condition[] {
  const times = window.times;
  if (times.length === 0) return [];
  const canJudge = judgeable(times, o.windowMs);
  const quarter = quarters(times);
  const out: Condition[] = [];
  for (const [gid, counts] of window.entries()) {
    if (!isJudged(gid)) continue;
    const g = canJudge ? growthOf(times, counts, quarter, o) : null;
    const alert = firing.get(gid);
    const count = counts[counts.length - 1]!;
    if (g !== null) {
      out.push({
        kind: 'growth',
        gid,
        count,
        countAtWindowStart: g.countAtWindowStart,
        ratePerHour: g.ratePerHour,
        baseline: alert?.baseline ?? g.floors[0],
        detail: `rose from ${g.countAtWindowStart} to ${g.count} in ${formatDuration(g.spanMs)} (floors ${g.floors.join(' → ')}), ${rate(g.ratePerHour)}`,
      });
      continue;
    }
    if (alert === undefined) continue;
    // A firing growth alert holds while the group keeps at least half of --min-growth above the
    // floor it rose from: leaked goroutines stay even when the leaking stops.
    const floors = quarterFloors(counts, quarter) ?? [count, count, count, count];
    const baseline = alert.baseline ?? 0;
    if (floors[3] >= baseline + o.minGrowth / 2) {
      out.push({
        kind: 'growth',
        gid,
        count,
        countAtWindowStart: alert.countAtWindowStart,
        ratePerHour: alert.ratePerHour,
        baseline,
        detail: `holds ${count} goroutines, ${count - baseline} above the ${baseline} it rose from`,
      });
    }
  }
  return out;
}

/** --max-goroutines on the total, --max-group on each group that is not benign. */
export function thresholdConditions(
  total: number,
  groups: ReadonlyArray<{ gid: string; count: number; judged: boolean }>,
  firing: ReadonlyMap<string | null, Alert>,
  o: Pick<VerdictOptions, 'maxGoroutines' | 'maxGroup'>,
): Condition[] {
  const out: Condition[] = [];
  const over = (count: number, limit: number, held: boolean) => count > limit || (held && count >= limit * THRESHOLD_RESOLVE_SHARE);
  if (o.maxGoroutines !== null && over(total, o.maxGoroutines, firing.has(null))) {
    out.push({ kind: 'threshold', gid: null, count: total, countAtWindowStart: null, ratePerHour: null, detail: `${plural(total, 'goroutine')} in total, limit --max-goroutines ${o.maxGoroutines}` });
  }
  if (o.maxGroup !== null) {
    for (const g of groups) {
      if (!g.judged || !over(g.count, o.maxGroup, firing.has(g.gid))) continue;
      out.push({ kind: 'threshold', gid: g.gid, count: g.count, countAtWindowStart: null, ratePerHour: null, detail: `${plural(g.count, 'goroutine')} in the group, limit --max-group ${o.maxGroup}` });
    }
  }
  return out;
}

/** A group of a debug=2 read, with the ID of the sampled group it belongs to. */
export interface LinkedGroup {
  group: GoroutineGroup;
  gid: string;
}

/**
 * Stale: goroutines of a group blocked in user code on a channel, select, lock or WaitGroup for at
 * least --stale (the dump library's judgement of a long wait), while the group grows or held at
 * least --stale-floor goroutines over a whole window. A few long-lived idle workers stay silent.
 */
export function staleConditions(
  linked: readonly LinkedGroup[],
  window: SeriesWindow,
  growing: (gid: string) => boolean,
  o: Pick<VerdictOptions, 'staleMinutes' | 'staleFloor' | 'windowMs'>,
): Condition[] {
  const fullWindow = judgeable(window.times, o.windowMs);
  const byGid = new Map<string, { stale: number; count: number; maxWait: number; where: string }>();
  for (const { group, gid } of linked) {
    if (!judged(group)) continue;
    const maxWait = group.waitMinutes.max;
    if (maxWait === null || maxWait < o.staleMinutes) continue;
    // The group's location (user code or not, --module included) was decided when it was grouped.
    if (judgeGroup(group, { minWaitMinutes: o.staleMinutes, largeGroup: Infinity }) === null) continue;
    let stale = 0;
    for (const m of group.members) if (m.waitMinutes !== null && m.waitMinutes >= o.staleMinutes) stale += m.count;
    const entry = byGid.get(gid) ?? { stale: 0, count: 0, maxWait: 0, where: `${group.kind}${group.location ? ` at ${group.location.func}` : ''}` };
    entry.stale += stale;
    entry.count += group.count;
    entry.maxWait = Math.max(entry.maxWait, maxWait);
    byGid.set(gid, entry);
  }
  const out: Condition[] = [];
  for (const [gid, e] of byGid) {
    const counts = window.series(gid);
    const lowest = counts && counts.length > 0 ? Math.min(...counts) : e.count;
    const grows = growing(gid);
    if (!grows && (!fullWindow || lowest < o.staleFloor)) continue;
    const why = grows ? 'and the group grows' : `and the group held at least ${o.staleFloor} over the window (lowest ${lowest})`;
    out.push({
      kind: 'stale',
      gid,
      count: e.count,
      countAtWindowStart: counts?.[0] ?? null,
      ratePerHour: null,
      detail: `${plural(e.stale, 'goroutine')} blocked in ${e.where} for at least ${o.staleMinutes} min (up to ${e.maxWait}), ${why}`,
    });
  }
  return out;
}

/** Groups the runtime's goroutineleak profile lists: every goroutine in it is leaked, for certain. */
export function leakProfileConditions(linked: readonly LinkedGroup[]): Condition[] {
  const byGid = new Map<string, number>();
  for (const { group, gid } of linked) if (judged(group)) byGid.set(gid, (byGid.get(gid) ?? 0) + group.count);
  return [...byGid].map(([gid, count]) => ({
    kind: 'leak-profile' as const,
    gid,
    count,
    countAtWindowStart: null,
    ratePerHour: null,
    detail: `${plural(count, 'goroutine')} marked leaked by the runtime's goroutineleak profile`,
  }));
}
