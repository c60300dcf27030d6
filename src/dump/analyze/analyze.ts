// The library entry point for dump analysis: group, classify, judge and rank.
import type { Dump } from '../model.js';
import { groupGoroutines, type GoroutineGroup, type GroupOptions } from './group.js';
import { dumpTakers, IDLE_REASON, type IdleOptions } from './idle.js';
import { judgeGroup, rankGroups, type SuspectOptions } from './suspects.js';

export interface AnalyzeOptions extends GroupOptions, SuspectOptions, IdleOptions {
  /** Treat the dump as taken when no goroutine of the program should be left (see idle.ts). */
  idle?: boolean;
}

export interface DumpAnalysis {
  dump: Dump;
  /** Ranked: suspects first. */
  groups: GoroutineGroup[];
  /** Goroutines per normalized state ("" when the input has no states), largest first. */
  states: Array<{ state: string; count: number }>;
  suspects: { definite: number; likely: number };
}

export function analyzeDump(dump: Dump, options: AnalyzeOptions = {}): DumpAnalysis {
  const groups = groupGoroutines(dump.goroutines, options);
  const takers = options.idle ? dumpTakers(dump.goroutines, options.selfId ?? null) : new Set();
  for (const group of groups) {
    const verdict = judgeGroup(group, options);
    if (options.idle && !group.benign && !group.members.every((m) => takers.has(m))) {
      group.suspect = verdict?.level === 'definite' ? verdict : { level: 'definite', reason: IDLE_REASON };
    } else {
      group.suspect = verdict;
    }
  }
  return summarize(dump, groups);
}

/** Ranks judged groups and counts goroutines per state and suspect level. */
export function summarize(dump: Dump, groups: GoroutineGroup[]): DumpAnalysis {
  const ranked = rankGroups(groups);
  const perState = new Map<string, number>();
  for (const g of ranked) perState.set(g.state, (perState.get(g.state) ?? 0) + g.count);
  const states = [...perState].map(([state, count]) => ({ state, count })).sort((a, b) => b.count - a.count || (a.state < b.state ? -1 : 1));
  const suspects = { definite: 0, likely: 0 };
  for (const g of ranked) if (g.suspect) suspects[g.suspect.level] += g.count;
  return { dump, groups: ranked, states, suspects };
}

/**
 * goleak-style check for `goroscope test`: the groups that should not exist when the program or
 * test package is idle, each a definite suspect, ranked.
 */
export function findIdleLeaks(dump: Dump, options: Omit<AnalyzeOptions, 'idle'> = {}): GoroutineGroup[] {
  return analyzeDump(dump, { ...options, idle: true }).groups.filter((g) => g.suspect !== null);
}
