// What goroscope exports to Prometheus, shared by `watch --serve`'s /metrics and `goroscope
// serve`'s /probe: the metric names and help texts, the choice of the groups that get series of
// their own (label cardinality stays bounded: the top --metrics-top groups per target, the rest
// summed into one group="other" series) and the bounded set of error reasons.
// docs/prometheus.md documents every metric; deploy/ reads them. No prom-client here: this module
// is loaded by every `watch` (for its defaults), prom-client only when something is served.
import type { FrameRef } from '../../dump/analyze/packages.js';

/** Groups per target with a series of their own, unless --metrics-top says otherwise. */
export const DEFAULT_METRICS_TOP = 20;

/** The series that sums every group without a series of its own. */
export const OTHER_GROUP = 'other';

/** Labels of a per-group series. */
export const GROUP_LABELS = ['target', 'group', 'function', 'file', 'line', 'state'] as const;
export type GroupLabel = (typeof GROUP_LABELS)[number];

export const HELP = {
  up: 'Whether the latest read of the target gave a goroutine profile (1) or failed (0).',
  goroutines: 'Goroutines of the target at its latest read.',
  groupGoroutines: `Goroutines of a stack group at the target's latest read: the top groups per target by firing alert, growth and count (--metrics-top); group="${OTHER_GROUP}" sums the rest and the known-benign groups.`,
  groupGrowth: 'Growth of the group over the watch window, goroutines per hour (Theil-Sen slope of its counts).',
  leakAlerts: "goroscope's firing leak alerts on the target, by kind (growth, threshold, stale, leak-profile).",
  sampleDuration: 'Time one sample of a target took: read, parse, store and judge.',
  sampleErrors: 'Failed reads of a target, by reason.',
  probeDuration: 'Time the probe took to read and group the target.',
} as const;

/** A group as the exporters see it at one read. */
export interface GroupPoint {
  gid: string;
  count: number;
  location: FrameRef | null;
  state: string;
  /** Whether goroscope judges the group at all (not known-benign, a frame to point at). */
  judged: boolean;
  /** Rise over the window (last quarter's floor minus the first's); null without history (a probe). */
  rise: number | null;
  /** Whether an alert of goroscope is firing on the group. */
  alerting: boolean;
}

export interface GroupSelection {
  chosen: GroupPoint[];
  /** Goroutines of every group not chosen (beyond the top, or known-benign). */
  other: number;
}

const byCount = (a: GroupPoint, b: GroupPoint) => b.count - a.count || (a.gid < b.gid ? -1 : 1);

/**
 * The groups of one target that get series of their own: groups with a firing alert first (by
 * count), then, alternately, the one rising most over the window and the largest one, until `top`
 * groups are chosen. Known-benign groups and groups without a frame (the runtime's, the standard
 * library's servers) are never chosen: they are summed into "other" with the rest.
 */
export function selectGroups(groups: readonly GroupPoint[], top: number): GroupSelection {
  const eligible = groups.filter((g) => g.judged && g.location !== null);
  const chosen: GroupPoint[] = [];
  const taken = new Set<string>();
  const take = (g: GroupPoint | undefined) => {
    if (g === undefined || taken.has(g.gid) || chosen.length >= top) return;
    taken.add(g.gid);
    chosen.push(g);
  };
  for (const g of eligible.filter((e) => e.alerting).sort(byCount)) take(g);
  const rising = eligible.filter((g) => g.rise !== null && g.rise > 0).sort((a, b) => b.rise! - a.rise! || byCount(a, b));
  const largest = [...eligible].sort(byCount);
  let r = 0;
  let l = 0;
  while (chosen.length < top && (r < rising.length || l < largest.length)) {
    while (r < rising.length && taken.has(rising[r]!.gid)) r++;
    take(rising[r++]);
    while (l < largest.length && taken.has(largest[l]!.gid)) l++;
    take(largest[l++]);
  }
  let other = 0;
  for (const g of groups) if (!taken.has(g.gid)) other += g.count;
  return { chosen, other };
}

/** The label values of a chosen group's series. */
export function groupLabels(target: string, g: GroupPoint): Record<GroupLabel, string> {
  return { target, group: g.gid, function: g.location?.func ?? '', file: g.location?.file ?? '', line: g.location ? String(g.location.line) : '', state: g.state };
}

/** The label values of the "other" series. */
export function otherLabels(target: string): Record<GroupLabel, string> {
  return { target, group: OTHER_GROUP, function: '', file: '', line: '', state: '' };
}

/**
 * The reason of a failed read as a label value, from the read's message (http-get.ts, gops.ts,
 * profile.ts word them): a small fixed set, so a flapping target cannot grow the label space.
 */
export function errorReason(message: string): string {
  const http = /^HTTP (\d{3})\b/.exec(message);
  if (http) return `http_${http[1]}`;
  const reasons: Array<[RegExp, string]> = [
    [/connection refused/, 'connection_refused'],
    [/connection reset/, 'connection_reset'],
    [/no complete answer within/, 'timeout'],
    [/host not found/, 'host_not_found'],
    [/host unreachable/, 'host_unreachable'],
    [/larger than --max-bytes/, 'too_large'],
    [/cut short/, 'cut_short'],
    [/gops agent port file|gops port file/, 'no_gops_agent'],
    [/HTML page|not a goroutine profile|no goroutine profile|empty answer/, 'not_a_profile'],
  ];
  for (const [pattern, reason] of reasons) if (pattern.test(message)) return reason;
  return 'other';
}

/** Every value errorReason gives but http_NNN: documented and used by tests. */
export const ERROR_REASONS = ['connection_refused', 'connection_reset', 'timeout', 'host_not_found', 'host_unreachable', 'too_large', 'cut_short', 'no_gops_agent', 'not_a_profile', 'other'] as const;
