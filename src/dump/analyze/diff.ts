// What AFTER has that BEFORE had not, group by group, and a gate on the growth. Groups match by
// signature (state, frames, creator, labels), which holds across processes and restarts; dumps in
// different formats match by the stack signature both have (compare.ts), or are refused.
import type { Dump, Goroutine } from '../model.js';
import { analyzeDump, type AnalyzeOptions } from './analyze.js';
import { comparedPart, comparisonKeys, planComparison, type Comparison } from './compare.js';
import type { GoroutineGroup } from './group.js';

export interface DiffOptions extends Omit<AnalyzeOptions, 'idle'> {
  /** Gate: fail when total goroutine growth exceeds this percentage. Default 5. */
  maxGrowthPercent?: number;
  /** Gate: fail when more than this many goroutines are new (not gated when undefined). */
  maxNew?: number;
}

export const DEFAULT_MAX_GROWTH_PERCENT = 5;

export interface GroupDelta {
  group: GoroutineGroup; // the AFTER group
  before: number;
  after: number;
  growth: number;
  /** IDs in AFTER absent from BEFORE; only when both dumps are from one process, else null. */
  newIds: number[] | null;
}

export interface DumpDiff {
  sameProcess: { value: boolean; reason: string };
  /** What the groups were matched by (compare.ts). */
  comparison: Comparison;
  /** Goroutines that count (benign and ignored ones are left out of totals and deltas). */
  totals: { before: number; after: number; growth: number; growthPercent: number | null };
  /** Groups that grew or are new in AFTER, largest growth first. */
  grown: GroupDelta[];
  /** Signatures present in BEFORE and absent from AFTER, with their BEFORE groups. */
  gone: GoroutineGroup[];
  newGoroutines: number;
  gate: { passed: boolean; failures: string[]; maxGrowthPercent: number; maxNew: number | null };
}

// Same-process test. Goroutine IDs are only comparable within one process, and a restarted
// binary reuses small IDs for the same startup goroutines, so equal IDs prove nothing alone.
// Within one process, IDs grow monotonically and a living goroutine keeps its ID, its creator and
// its entry function (the outermost frame never changes while it runs). So we require: both
// dumps have IDs on every goroutine; AFTER's highest ID is not below BEFORE's; at least
// MIN_MATCHES goroutines share ID+creator+entry; and no shared ID disagrees on creator or entry
// in more than 10% of cases (a different process would reuse IDs for different goroutines).
const MIN_MATCHES = 3;

function identity(g: Goroutine): string {
  const own = g.frames.filter((f) => f.func !== 'runtime.goexit');
  return `${g.createdBy?.func ?? '-'}|${own[own.length - 1]?.func ?? '-'}`;
}

export function sameProcess(before: Dump, after: Dump): { value: boolean; reason: string } {
  const all = [...before.goroutines, ...after.goroutines];
  if (all.length === 0 || all.some((g) => g.id === null)) return { value: false, reason: 'not every goroutine has an ID (pprof debug=1/debug=0 input)' };
  // A loop, not Math.max(...ids): spreading a million IDs overflows the call stack.
  const maxOf = (d: Dump) => d.goroutines.reduce((m, g) => Math.max(m, g.id!), -1);
  if (maxOf(after) < maxOf(before)) return { value: false, reason: "AFTER's highest goroutine ID is below BEFORE's: IDs only grow within a process" };
  const beforeById = new Map(before.goroutines.map((g) => [g.id!, identity(g)]));
  let shared = 0;
  let matches = 0;
  for (const g of after.goroutines) {
    const was = beforeById.get(g.id!);
    if (was === undefined) continue;
    shared++;
    if (was === identity(g)) matches++;
  }
  if (matches < MIN_MATCHES) return { value: false, reason: `only ${matches} goroutines share ID, creator and entry function (need ${MIN_MATCHES})` };
  if (matches < 0.9 * shared) return { value: false, reason: `${shared - matches} of ${shared} shared IDs belong to different goroutines` };
  return { value: true, reason: `${matches} goroutines share ID, creator and entry function` };
}

export function diffDumps(before: Dump, after: Dump, options: DiffOptions = {}): DumpDiff {
  const comparison = planComparison(before, after);
  const beforePart = comparedPart(before, comparison);
  const afterPart = comparedPart(after, comparison);
  const a = analyzeDump(beforePart, options).groups;
  const b = analyzeDump(afterPart, options).groups;
  const keys = comparisonKeys(comparison, beforePart, afterPart, a, b);
  const buckets = new Map<string, Bucket>();
  const bucketOf = (g: GoroutineGroup, key: string): Bucket => {
    let b = buckets.get(key);
    if (b === undefined) {
      b = { before: [], after: [], benign: false };
      buckets.set(key, b);
    }
    // A group benign in either dump keeps its goroutines out of both totals: formats without
    // states can miss what makes a goroutine benign (a connection in IO wait).
    if (g.benign !== null) b.benign = true;
    return b;
  };
  a.forEach((g, i) => bucketOf(g, keys.before[i]!).before.push(g));
  b.forEach((g, i) => bucketOf(g, keys.after[i]!).after.push(g));
  const proc = sameProcess(before, after);
  const beforeIds = new Set(before.goroutines.map((g) => g.id));
  const grown: GroupDelta[] = [];
  const gone: GoroutineGroup[] = [];
  let totalBefore = 0;
  let totalAfter = 0;
  for (const bucket of buckets.values()) {
    if (bucket.benign) continue;
    const was = countOf(bucket.before);
    const now = countOf(bucket.after);
    totalBefore += was;
    totalAfter += now;
    if (now === 0) {
      gone.push(...bucket.before);
      continue;
    }
    const group = oneGroup(bucket.after);
    const newIds = proc.value ? group.ids.filter((id) => !beforeIds.has(id)) : null;
    if (now > was || (newIds && newIds.length > 0)) grown.push({ group, before: was, after: now, growth: now - was, newIds });
  }
  grown.sort((x, y) => y.growth - x.growth || y.after - x.after);
  const growth = totalAfter - totalBefore;
  const growthPercent = totalBefore === 0 ? (totalAfter === 0 ? 0 : null) : (growth / totalBefore) * 100;
  const newGoroutines = grown.reduce((s, d) => s + Math.max(0, d.growth), 0);
  const maxGrowthPercent = options.maxGrowthPercent ?? DEFAULT_MAX_GROWTH_PERCENT;
  const maxNew = options.maxNew ?? null;
  const failures: string[] = [];
  if (growthPercent === null) failures.push(`goroutines grew from 0 to ${totalAfter}`);
  else if (growthPercent > maxGrowthPercent) failures.push(`goroutines grew ${growthPercent.toFixed(1)}% (${totalBefore} -> ${totalAfter}), more than --max-growth ${maxGrowthPercent}%`);
  if (maxNew !== null && newGoroutines > maxNew) failures.push(`${newGoroutines} new goroutines, more than --max-new ${maxNew}`);
  return {
    sameProcess: proc,
    comparison,
    totals: { before: totalBefore, after: totalAfter, growth, growthPercent },
    grown,
    gone,
    newGoroutines,
    gate: { passed: failures.length === 0, failures, maxGrowthPercent, maxNew },
  };
}

/** The groups of BEFORE and AFTER that compare equal (one each by group signature; maybe more by stack). */
interface Bucket {
  before: GoroutineGroup[];
  after: GoroutineGroup[];
  benign: boolean;
}

function countOf(groups: readonly GoroutineGroup[]): number {
  let n = 0;
  for (const g of groups) n += g.count;
  return n;
}

/**
 * The groups of AFTER that one stack signature joins, as one group: the largest one's description
 * with every member, ID and wait.
 */
function oneGroup(groups: readonly GoroutineGroup[]): GoroutineGroup {
  if (groups.length === 1) return groups[0]!;
  const largest = groups.reduce((x, y) => (y.count > x.count ? y : x));
  const waits = groups.map((g) => g.waitMinutes);
  const mins = waits.map((w) => w.min).filter((m): m is number => m !== null);
  const maxes = waits.map((w) => w.max).filter((m): m is number => m !== null);
  return {
    ...largest,
    count: countOf(groups),
    waitMinutes: { min: mins.length ? Math.min(...mins) : null, max: maxes.length ? Math.max(...maxes) : null },
    ids: groups.flatMap((g) => g.ids).sort((x, y) => x - y),
    members: groups.flatMap((g) => g.members),
  };
}
