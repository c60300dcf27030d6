// Fleet triage: which instances' goroutine totals grow, judged on Prometheus's history with the
// trend of `goroscope watch` (quarter floors, Theil-Sen), and where each one's goroutine profile is.
import { parseTarget, TargetError, type Target } from '../target.js';
import { growthOf, judgeable, quarters, theilSen, type Growth, type GrowthOptions } from '../trend.js';
import type { RangeSeries } from './prometheus-api.js';

export interface InstanceTrend {
  labels: Record<string, string>;
  /** The `instance` label, or null when the series has none. */
  instance: string | null;
  first: number;
  last: number;
  min: number;
  max: number;
  /** Theil-Sen slope over the range, goroutines per hour. */
  slopePerHour: number;
  /** The growth verdict over the range (null: it does not grow, or too little history). */
  growth: Growth | null;
  /** Why the series could not be judged, when it could not. */
  unjudged: string | null;
}

/** Every series' trend, the growing ones first (fastest first), then by slope. */
export function rankInstances(series: readonly RangeSeries[], o: GrowthOptions): InstanceTrend[] {
  const out = series.map((s): InstanceTrend => {
    const ok = s.values.length > 0;
    const canJudge = judgeable(s.times, o.windowMs);
    return {
      labels: s.labels,
      instance: s.labels.instance ?? null,
      first: ok ? s.values[0]! : NaN,
      last: ok ? s.values[s.values.length - 1]! : NaN,
      min: ok ? Math.min(...s.values) : NaN,
      max: ok ? Math.max(...s.values) : NaN,
      slopePerHour: s.values.length > 1 ? theilSen(s.times, s.values) * 3_600_000 : 0,
      growth: canJudge ? growthOf(s.times, s.values, quarters(s.times), o) : null,
      unjudged: canJudge ? null : 'its samples do not span 90% of --range (it is newer, or was not scraped)',
    };
  });
  return out.sort((a, b) => (b.growth?.ratePerHour ?? -Infinity) - (a.growth?.ratePerHour ?? -Infinity) || b.slopePerHour - a.slopePerHour);
}

export const DEFAULT_PPROF_URL = 'http://{host}:{port}/debug/pprof/goroutine';

/**
 * The goroutine profile of an instance: `template` with {host}, {port} (--pprof-port, else the
 * instance's own) and {instance} filled in from the `instance` label ("host:port", "[v6]:port").
 */
export function pprofTargetOf(instance: string, template: string, pprofPort: number | null): Target {
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(instance);
  if (!m) throw new TargetError(`the instance label "${instance}" is not HOST:PORT`);
  const host = m[1] !== undefined ? `[${m[1]}]` : m[2]!;
  const port = pprofPort !== null ? String(pprofPort) : m[3];
  if (port === undefined && template.includes('{port}')) throw new TargetError(`the instance label "${instance}" has no port: give --pprof-port`);
  return parseTarget(template.replaceAll('{instance}', instance).replaceAll('{host}', host).replaceAll('{port}', port ?? ''));
}
